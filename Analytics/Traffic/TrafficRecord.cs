namespace Unitization.Analytics.Traffic;

/// <summary>
/// Bytes that crossed a datacenter link, as published on the traffic topic (JSON, schema in the README).
/// <see cref="Component"/> is <c>router</c>, <c>replicator</c> or <c>client</c>.
/// </summary>
public sealed record TrafficRecord(
    string Id,
    string Job,
    string SourceDatacenter,
    string DestinationDatacenter,
    long Bytes,
    string Operation,
    string Component,
    DateTimeOffset Time);
