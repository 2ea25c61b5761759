namespace Unitization.Analytics.Queries;

/// <summary>One row of the top-N table: a job and its cross-datacenter bytes in the window.</summary>
internal sealed record TopJob(int Rank, string Job, long Bytes, long Records, string TopLink);

internal sealed record TopJobsReport(string Window, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<TopJob> Jobs);

internal sealed record UsagePoint(DateTimeOffset Time, double BytesPerSecond);

internal sealed record LinkUsage(string Source, string Destination, long? CapacityBytesPerSecond, IReadOnlyList<UsagePoint> Points);

internal sealed record LinkUsageReport(string Window, int StepSeconds, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<LinkUsage> Links);

internal sealed record LagPercentiles(string Source, string Destination, long Copies, double P50, double P90, double P99, double Max);

internal sealed record LagPoint(DateTimeOffset Time, double P50, double P99);

internal sealed record ReplicationLagReport(string Window, int StepSeconds, IReadOnlyList<LagPercentiles> Links, IReadOnlyList<LagPoint> Series);

/// <summary>A job worth moving: its cross-datacenter bytes now, if run in the suggested datacenter, and the saving.</summary>
internal sealed record PlacementSuggestion(
    string Job, string CurrentDatacenter, string SuggestedDatacenter, long CrossBytes, long CrossBytesIfMoved, long SavingBytes, long SavingBytesPerDay);

internal sealed record SuggestionsReport(string Window, string Model, IReadOnlyList<PlacementSuggestion> Suggestions);
