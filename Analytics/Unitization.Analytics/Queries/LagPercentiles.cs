namespace Unitization.Analytics.Queries;

internal sealed record LagPercentiles(string Source, string Destination, long Copies, double P50, double P90, double P99, double Max);
