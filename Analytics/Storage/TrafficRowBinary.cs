using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Unitization.Analytics.Ingest;
using Unitization.Analytics.Traffic;

namespace Unitization.Analytics.Storage;

/// <summary>
/// Encodes traffic rows in ClickHouse's RowBinary format, in the order of <see cref="TrafficSchema.Columns"/>:
/// <c>DateTime</c> as UInt32 seconds, <c>String</c> as a LEB128 length and the UTF-8 bytes, <c>UInt64</c> little
/// endian, <c>Nullable(Float64)</c> as a null flag byte and the value. One pass, no boxing, into a pooled buffer.
/// </summary>
internal static class TrafficRowBinary
{
    public static void Write(IBufferWriter<byte> output, IReadOnlyList<TrafficRecord> records) => Write(output, records, default);

    /// <summary>The same, with each record's <see cref="RecordIdHash"/> computed already (in order; empty: computed here).</summary>
    public static void Write(IBufferWriter<byte> output, IReadOnlyList<TrafficRecord> records, ReadOnlySpan<ulong> idHashes)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(records);
        if (!idHashes.IsEmpty && idHashes.Length != records.Count)
        {
            throw new ArgumentException($"{idHashes.Length} id hashes for {records.Count} records.", nameof(idHashes));
        }

        for (var i = 0; i < records.Count; i++)
        {
            var r = records[i];
            if (!TrafficRecordJson.IsStorableTime(r.Time))
            {
                throw new ArgumentOutOfRangeException(nameof(records), r.Time, $"Record '{r.Id}': a ClickHouse DateTime holds 1970-01-01 to 2106-02-07.");
            }

            WriteUInt32(output, (uint)r.Time.ToUnixTimeSeconds());
            WriteString(output, r.Job);
            WriteString(output, r.SourceDatacenter);
            WriteString(output, r.DestinationDatacenter);
            WriteUInt64(output, (ulong)r.Bytes);
            WriteString(output, r.Operation);
            WriteString(output, r.Component);
            WriteString(output, r.Id);
            WriteUInt64(output, idHashes.IsEmpty ? RecordIdHash.Of(r.Id) : idHashes[i]);
            if (r.ReplicationLagSeconds is { } lag)
            {
                var span = output.GetSpan(9);
                span[0] = 0;
                BinaryPrimitives.WriteDoubleLittleEndian(span[1..], lag);
                output.Advance(9);
            }
            else
            {
                output.GetSpan(1)[0] = 1;
                output.Advance(1);
            }
        }
    }

    private static void WriteUInt32(IBufferWriter<byte> output, uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(output.GetSpan(4), value);
        output.Advance(4);
    }

    private static void WriteUInt64(IBufferWriter<byte> output, ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(output.GetSpan(8), value);
        output.Advance(8);
    }

    private static void WriteString(IBufferWriter<byte> output, string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        var span = output.GetSpan(length + 5);
        var at = 0;
        var rest = (uint)length;
        while (rest >= 0x80)
        {
            span[at++] = (byte)(rest | 0x80);
            rest >>= 7;
        }

        span[at++] = (byte)rest;
        at += Encoding.UTF8.GetBytes(value, span[at..]);
        output.Advance(at);
    }
}
