using System.Buffers;
using System.Buffers.Binary;
using Unitization.Analytics.Storage;
using Unitization.Analytics.Traffic;

namespace Unitization.Analytics.Ingest;

/// <summary>
/// A batch as the ingest carries it: its rows in ClickHouse's RowBinary (<see cref="TrafficRowBinary"/>), back to back
/// in one pooled buffer, where each row ends, and each row's <see cref="RecordIdHash"/>. The dedupe needs only the hash
/// and the row's time (its first column) and the insert only the bytes, so a batch that goes straight through never
/// becomes <see cref="TrafficRecord"/> objects; the rare paths that need records (the spool) decode them from the rows.
/// Dropping rows (<see cref="Retain"/>) moves the rest down in place. <see cref="Dispose"/> returns the pooled arrays.
/// </summary>
internal sealed class EncodedBatch : IDisposable
{
    private readonly PooledBufferWriter _rows;
    private int[] _ends;
    private ulong[] _idHashes;
    private bool _disposed;

    /// <summary>Takes over <paramref name="rows"/> and the two pooled arrays (<see cref="ArrayPool{T}.Shared"/>): the first <paramref name="count"/> rows' ends and hashes.</summary>
    public EncodedBatch(PooledBufferWriter rows, int[] ends, ulong[] idHashes, int count)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(ends);
        ArgumentNullException.ThrowIfNull(idHashes);
        if (count > ends.Length || count > idHashes.Length || (count > 0 && ends[count - 1] != rows.WrittenCount))
        {
            throw new ArgumentException($"{count} rows do not match {ends.Length} row ends, {idHashes.Length} hashes and {rows.WrittenCount} bytes of rows.", nameof(count));
        }

        (_rows, _ends, _idHashes, Count) = (rows, ends, idHashes, count);
    }

    /// <summary>The records encoded (the cold paths: a spooled batch, a caller with records in hand).</summary>
    public static EncodedBatch Of(IReadOnlyList<TrafficRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var rows = new PooledBufferWriter(records.Count * 112);
        var ends = ArrayPool<int>.Shared.Rent(Math.Max(1, records.Count));
        var idHashes = ArrayPool<ulong>.Shared.Rent(Math.Max(1, records.Count));
        for (var i = 0; i < records.Count; i++)
        {
            idHashes[i] = RecordIdHash.Of(records[i].Id);
            TrafficRowBinary.Write(rows, records[i], idHashes[i]);
            ends[i] = rows.WrittenCount;
        }

        return new EncodedBatch(rows, ends, idHashes, records.Count);
    }

    public int Count { get; private set; }

    /// <summary>The rows, ready to insert.</summary>
    public ReadOnlyMemory<byte> Rows => _rows.WrittenMemory;

    public ulong IdHash(int index) => _idHashes[Check(index)];

    /// <summary>The record's time, to the second (as ClickHouse keeps it): the row's first column.</summary>
    public DateTimeOffset TimeOf(int index) => TimeOfRowAt(StartOf(Check(index)));

    public ReadOnlySpan<byte> Row(int index) => _rows.WrittenSpan[StartOf(Check(index))..(_ends[index])];

    /// <summary>The records, decoded from the rows.</summary>
    public List<TrafficRecord> Records()
    {
        var records = new List<TrafficRecord>(Count);
        for (var i = 0; i < Count; i++)
        {
            records.Add(TrafficRowBinary.Read(Row(i)));
        }

        return records;
    }

    /// <summary>The earliest and latest record time (to the second); the batch must not be empty.</summary>
    public (DateTimeOffset From, DateTimeOffset To) TimeRange()
    {
        if (Count == 0)
        {
            throw new InvalidOperationException("An empty batch has no time range.");
        }

        var (from, to) = (uint.MaxValue, uint.MinValue);
        for (var i = 0; i < Count; i++)
        {
            var seconds = BinaryPrimitives.ReadUInt32LittleEndian(_rows.WrittenSpan[StartOf(i)..]);
            (from, to) = (Math.Min(from, seconds), Math.Max(to, seconds));
        }

        return (DateTimeOffset.FromUnixTimeSeconds(from), DateTimeOffset.FromUnixTimeSeconds(to));
    }

    /// <summary>
    /// Keeps the rows <paramref name="keep"/> says yes to (asked once per row, in order, with its id hash and time) and
    /// moves them down over the rows dropped, in order; returns how many were dropped.
    /// </summary>
    public int Retain<TState>(TState state, Func<TState, ulong, DateTimeOffset, bool> keep)
    {
        ArgumentNullException.ThrowIfNull(keep);
        var bytes = _rows.WrittenBuffer;
        var (kept, keptEnd, start) = (0, 0, 0);
        for (var i = 0; i < Count; i++)
        {
            var end = _ends[i];
            if (keep(state, _idHashes[i], TimeOfRowAt(start)))
            {
                if (kept != i)
                {
                    // only ever moves a row down (towards the front): Span.CopyTo handles the overlap
                    bytes[start..end].CopyTo(bytes[keptEnd..]);
                    _idHashes[kept] = _idHashes[i];
                }

                keptEnd += end - start;
                _ends[kept++] = keptEnd;
            }

            start = end;
        }

        var dropped = Count - kept;
        _rows.Truncate(keptEnd);
        Count = kept;
        return dropped;
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _rows.Dispose();
            ArrayPool<int>.Shared.Return(_ends);
            ArrayPool<ulong>.Shared.Return(_idHashes);
            (_ends, _idHashes, Count) = ([], [], 0);
        }
    }

    private int StartOf(int index) => index == 0 ? 0 : _ends[index - 1];

    private DateTimeOffset TimeOfRowAt(int start) =>
        DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadUInt32LittleEndian(_rows.WrittenSpan[start..]));

    private int Check(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return index;
    }
}
