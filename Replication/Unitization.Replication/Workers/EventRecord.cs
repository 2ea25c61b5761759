namespace Unitization.Replication.Workers;

/// <summary>
/// One record of the events topic as a worker handles it: where it sits (<paramref name="Topic"/>,
/// <paramref name="Partition"/>, <paramref name="Offset"/>), its key (<c>db.table</c>), its value (an
/// <see cref="Events.HmsEventEnvelope"/> as JSON, or whatever a producer wrote) and when it was published.
/// </summary>
/// <paramref name="ReplayOf"/> names the dead letter a replay published it from.
internal sealed record EventRecord(string Topic, int Partition, long Offset, string? Key, string? Value, DateTimeOffset PublishedAt, string? ReplayOf = null)
{
    /// <summary>Where the record came from, as dead letters name it: <c>topic/partition/offset</c>.</summary>
    public string Source => $"{Topic}/{Partition}/{Offset}";
}
