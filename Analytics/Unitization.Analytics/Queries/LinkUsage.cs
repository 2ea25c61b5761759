namespace Unitization.Analytics.Queries;

internal sealed record LinkUsage(string Source, string Destination, long? CapacityBytesPerSecond, IReadOnlyList<UsagePoint> Points);
