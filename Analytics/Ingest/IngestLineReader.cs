using System.Buffers;
using Unitization.Analytics.Storage;
using Unitization.Analytics.Traffic;

namespace Unitization.Analytics.Ingest;

/// <summary>
/// How the ingest reads a message's lines: each valid record goes to <paramref name="records"/> and its id hash to
/// <paramref name="idHashes"/>, both at <see cref="Next"/> (from <paramref name="start"/> up to, not including,
/// <paramref name="end"/>), and its RowBinary row to <paramref name="rows"/>, in order. A record the flat reader
/// takes (the shape producers write) is hashed and encoded straight from the message bytes; any other goes through
/// the full reader and is encoded from the record.
/// </summary>
internal struct IngestLineReader(TrafficRecord[] records, ulong[] idHashes, int start, int end, IBufferWriter<byte> rows) : ITrafficLineReader
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
            records[Next] = flat.ToRecord();
            idHashes[Next++] = idHash;
            return true;
        }

        if (!TrafficRecordJson.TryParseWithReader(line, out var record, out error))
        {
            return false;
        }

        var hash = RecordIdHash.Of(record!.Id);
        TrafficRowBinary.Write(rows, record, hash);
        records[Next] = record;
        idHashes[Next++] = hash;
        return true;
    }
}
