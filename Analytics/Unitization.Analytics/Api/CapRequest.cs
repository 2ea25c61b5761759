namespace Unitization.Analytics.Api;

/// <summary>Body of <c>PUT /api/v1/traffic/caps/{job}</c>: the rate a job may use across datacenters, who sets it and why.</summary>
internal sealed record CapRequest(long BytesPerSecond, string? SetBy, string? Reason);
