using System.Text;

namespace Unitization.Analytics.Traffic;

/// <summary>
/// A record as the flat reader found it (<see cref="TrafficRecordJson.TryReadFlat"/>): its texts are spans of the
/// message, printable ASCII without escapes, so their bytes are already the UTF-8 a RowBinary row holds. It has no
/// replication lag (the flat reader leaves records that carry one to the full reader).
/// </summary>
internal readonly ref struct FlatTrafficRecord(
    ReadOnlySpan<byte> id,
    ReadOnlySpan<byte> job,
    ReadOnlySpan<byte> sourceDatacenter,
    ReadOnlySpan<byte> destinationDatacenter,
    long bytes,
    ReadOnlySpan<byte> operation,
    ReadOnlySpan<byte> component,
    DateTimeOffset time)
{
    public ReadOnlySpan<byte> Id { get; } = id;

    public ReadOnlySpan<byte> Job { get; } = job;

    public ReadOnlySpan<byte> SourceDatacenter { get; } = sourceDatacenter;

    public ReadOnlySpan<byte> DestinationDatacenter { get; } = destinationDatacenter;

    public long Bytes { get; } = bytes;

    public ReadOnlySpan<byte> Operation { get; } = operation;

    public ReadOnlySpan<byte> Component { get; } = component;

    public DateTimeOffset Time { get; } = time;

    /// <summary>The record, with the texts that repeat across records (all but the id) shared through this thread's cache.</summary>
    public TrafficRecord ToRecord()
    {
        var cache = Utf8StringCache.Current;
        return new TrafficRecord(
            Encoding.UTF8.GetString(Id), cache.Get(Job), cache.Get(SourceDatacenter), cache.Get(DestinationDatacenter), Bytes, cache.Get(Operation),
            cache.Get(Component), Time);
    }
}
