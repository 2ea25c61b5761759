using System.Buffers;
using Unitization.Analytics.Storage;
using Unitization.Analytics.Traffic;

namespace Unitization.Analytics.Ingest;

/// <summary>
/// How the ingest reads a message's lines: each valid record goes to <paramref name="records"/>, its id hash to
/// <paramref name="idHashes"/> and its RowBinary row to <paramref name="rows"/>, in order. A record the flat reader
/// takes (the shape producers write) is hashed and encoded straight from the message bytes; any other goes through
/// the full reader and is encoded from the record.
/// </summary>
internal readonly struct IngestLineReader(List<TrafficRecord> records, List<ulong> idHashes, IBufferWriter<byte> rows) : ITrafficLineReader
{
    public bool TryRead(ReadOnlySpan<byte> line, out string? error)
    {
        error = null;
        if (TrafficRecordJson.TryReadFlat(line, out var flat))
        {
            var idHash = RecordIdHash.OfAscii(flat.Id);
            TrafficRowBinary.Write(rows, flat, idHash);
            records.Add(flat.ToRecord());
            idHashes.Add(idHash);
            return true;
        }

        if (!TrafficRecordJson.TryParseWithReader(line, out var record, out error))
        {
            return false;
        }

        var hash = RecordIdHash.Of(record!.Id);
        TrafficRowBinary.Write(rows, record, hash);
        records.Add(record);
        idHashes.Add(hash);
        return true;
    }
}
