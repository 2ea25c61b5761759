namespace Unitization.Analytics.Traffic;

/// <summary>
/// Bytes that crossed a datacenter link, as published on the traffic topic (JSON, schema in the README).
/// <see cref="Component"/> is <c>router</c>, <c>replicator</c> or <c>client</c>. <see cref="Id"/> is the dedupe key:
/// a record published twice (a producer retry, a replay) is counted once.
/// </summary>
public sealed record TrafficRecord(
    string Id,
    string Job,
    string SourceDatacenter,
    string DestinationDatacenter,
    long Bytes,
    string Operation,
    string Component,
    DateTimeOffset Time)
{
    /// <summary>For a replicator's copy: how far the replica was behind its source when the copy landed.</summary>
    public double? ReplicationLagSeconds { get; init; }

    public bool CrossesDatacenters => !string.Equals(SourceDatacenter, DestinationDatacenter, StringComparison.Ordinal);
}
