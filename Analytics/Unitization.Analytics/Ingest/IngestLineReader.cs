using Unitization.Analytics.Storage;
using Unitization.Analytics.Traffic;

namespace Unitization.Analytics.Ingest;

/// <summary>
/// How the ingest reads a message's lines: each valid record's RowBinary row goes to <paramref name="rows"/>, and
/// where that row ends (in <paramref name="rows"/>) and its id hash go to <paramref name="rowEnds"/> and
/// <paramref name="idHashes"/>, both at <see cref="Next"/> (from <paramref name="start"/> up to, not including,
/// <paramref name="end"/>), in order. A record the flat reader takes (the shape producers write) is hashed and
/// encoded straight from the message bytes, with no objects made; any other goes through the full reader and is
/// encoded from the record.
/// </summary>
internal struct IngestLineReader(int[] rowEnds, ulong[] idHashes, int start, int end, PooledBufferWriter rows) : ITrafficLineReader
{
    /// <summary>Where the next record goes.</summary>
    public int Next { get; private set; } = start;

    public bool TryRead(ReadOnlySpan<byte> line, out string? error)
    {
        if (Next >= end)
        {
            throw new InvalidOperationException($"More records than the room this reader was given (up to index {end}).");
        }

        error = null;
        if (TrafficRecordJson.TryReadFlat(line, out var flat))
        {
            var idHash = RecordIdHash.OfAscii(flat.Id);
            TrafficRowBinary.Write(rows, flat, idHash);
            Add(idHash);
            return true;
        }

        if (!TrafficRecordJson.TryParseWithReader(line, out var record, out error))
        {
            return false;
        }

        var hash = RecordIdHash.Of(record!.Id);
        TrafficRowBinary.Write(rows, record, hash);
        Add(hash);
        return true;
    }

    private void Add(ulong idHash)
    {
        rowEnds[Next] = rows.WrittenCount;
        idHashes[Next++] = idHash;
    }
}
