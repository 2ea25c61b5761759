namespace Unitization.Throttle.Caps;

/// <summary>A rate cap on one tenant (job or rule) on every link, set live by a person (e.g. an SRE from the dashboard).</summary>
public sealed record TenantCap(string Tenant, double BytesPerSecond, string SetBy, DateTimeOffset SetAt, string? Reason);
