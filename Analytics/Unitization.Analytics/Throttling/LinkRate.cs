namespace Unitization.Analytics.Throttling;

/// <summary>A directed link's rate as the throttle budgets it: the link capacity the dashboard draws.</summary>
internal sealed record LinkRate(string Source, string Destination, double BytesPerSecond);
