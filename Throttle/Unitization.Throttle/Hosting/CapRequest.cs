namespace Unitization.Throttle.Hosting;

/// <summary>Body of <c>PUT /api/v1/throttle/caps/{tenant}</c>: the rate, who sets it, and why.</summary>
public sealed record CapRequest(double BytesPerSecond, string? SetBy, string? Reason = null);
