namespace Unitization.Analytics.Queries;

internal sealed record UsagePoint(DateTimeOffset Time, double BytesPerSecond);
