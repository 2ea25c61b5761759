namespace Unitization.Analytics.Queries;

/// <summary>One row of the top-N table: a job and its cross-datacenter bytes in the window.</summary>
internal sealed record TopJob(int Rank, string Job, long Bytes, long Records, string TopLink);
