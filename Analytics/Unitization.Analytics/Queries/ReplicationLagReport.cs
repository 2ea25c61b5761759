namespace Unitization.Analytics.Queries;

internal sealed record ReplicationLagReport(string Window, int StepSeconds, IReadOnlyList<LagPercentiles> Links, IReadOnlyList<LagPoint> Series);
