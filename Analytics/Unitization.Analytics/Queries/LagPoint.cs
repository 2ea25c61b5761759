namespace Unitization.Analytics.Queries;

internal sealed record LagPoint(DateTimeOffset Time, double P50, double P99);
