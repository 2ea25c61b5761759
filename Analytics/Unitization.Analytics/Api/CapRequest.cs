namespace Unitization.Analytics.Api;

/// <summary>Body of <c>PUT /api/v1/traffic/caps/{job}</c>: the rate a job may use across datacenters, who sets it and why.</summary>
internal sealed record CapRequest(long BytesPerSecond, string? SetBy, string? Reason)
{
    /// <summary>The range Throttle takes a rate in (its <c>ByteRate</c>): 1 B/s to 1 TB/s.</summary>
    public const long MinBytesPerSecond = 1;

    public const long MaxBytesPerSecond = 1_000_000_000_000;
}
