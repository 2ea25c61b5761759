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
    /// <summary>The records' rows, in order, each with its <see cref="RecordIdHash"/>.</summary>
    public static void Write(IBufferWriter<byte> output, IReadOnlyList<TrafficRecord> records)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(records);
        foreach (var record in records)
        {
            Write(output, record, RecordIdHash.Of(record.Id));
        }
    }

    /// <summary>One record's row (its texts encoded as UTF-8 first, into one pooled buffer).</summary>
    public static void Write(IBufferWriter<byte> output, TrafficRecord record, ulong idHash)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(record);
        CheckTime(record.Time, record.Id);
        var chars = record.Job.Length + record.SourceDatacenter.Length + record.DestinationDatacenter.Length + record.Operation.Length + record.Component.Length + record.Id.Length;
        var scratch = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(chars));
        try
        {
            var rest = scratch.AsSpan();
            WriteRow(
                output, record.Time, Utf8(record.Job, ref rest), Utf8(record.SourceDatacenter, ref rest), Utf8(record.DestinationDatacenter, ref rest), record.Bytes,
                Utf8(record.Operation, ref rest), Utf8(record.Component, ref rest), Utf8(record.Id, ref rest), idHash, record.ReplicationLagSeconds);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }

        static ReadOnlySpan<byte> Utf8(string text, ref Span<byte> rest)
        {
            var length = Encoding.UTF8.GetBytes(text, rest);
            var encoded = rest[..length];
            rest = rest[length..];
            return encoded;
        }
    }

    /// <summary>
    /// The same row straight from the message bytes the flat reader found (no strings in between); byte for byte what
    /// <see cref="Write(IBufferWriter{byte}, TrafficRecord, ulong)"/> writes for the record it stands for.
    /// </summary>
    public static void Write(IBufferWriter<byte> output, in FlatTrafficRecord record, ulong idHash)
    {
        ArgumentNullException.ThrowIfNull(output);
        CheckTime(record.Time, null);
        WriteRow(output, record.Time, record.Job, record.SourceDatacenter, record.DestinationDatacenter, record.Bytes, record.Operation, record.Component, record.Id, idHash, null);
    }

    /// <summary>The row layout, the columns in <see cref="TrafficSchema.Columns"/> order, texts as UTF-8.</summary>
    private static void WriteRow(
        IBufferWriter<byte> output, DateTimeOffset time, ReadOnlySpan<byte> job, ReadOnlySpan<byte> source, ReadOnlySpan<byte> destination, long bytes,
        ReadOnlySpan<byte> operation, ReadOnlySpan<byte> component, ReadOnlySpan<byte> id, ulong idHash, double? lag)
    {
        WriteUInt32(output, (uint)time.ToUnixTimeSeconds());
        WriteString(output, job);
        WriteString(output, source);
        WriteString(output, destination);
        WriteUInt64(output, (ulong)bytes);
        WriteString(output, operation);
        WriteString(output, component);
        WriteString(output, id);
        WriteUInt64(output, idHash);
        if (lag is { } seconds)
        {
            var span = output.GetSpan(9);
            span[0] = 0;
            BinaryPrimitives.WriteDoubleLittleEndian(span[1..], seconds);
            output.Advance(9);
        }
        else
        {
            output.GetSpan(1)[0] = 1;
            output.Advance(1);
        }
    }

    /// <summary>
    /// The record a row holds (what <see cref="Write(IBufferWriter{byte}, TrafficRecord, ulong)"/> wrote, its time to
    /// the second); <see cref="InvalidDataException"/> naming the column when the bytes are not one whole row.
    /// </summary>
    public static TrafficRecord Read(ReadOnlySpan<byte> row)
    {
        var at = 0;
        var record = Read(row, ref at);
        if (at != row.Length)
        {
            throw new InvalidDataException($"A traffic row of {row.Length} bytes ends after {at}: {row.Length - at} bytes left over.");
        }

        return record;
    }

    /// <summary>Every row of rows written back to back, in order.</summary>
    public static List<TrafficRecord> ReadAll(ReadOnlySpan<byte> rows)
    {
        var records = new List<TrafficRecord>();
        var at = 0;
        while (at < rows.Length)
        {
            records.Add(Read(rows, ref at));
        }

        return records;
    }

    /// <summary>The row that starts at <paramref name="at"/>, which moves past it.</summary>
    private static TrafficRecord Read(ReadOnlySpan<byte> rows, ref int at)
    {
        var time = DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadUInt32LittleEndian(Take(rows, ref at, 4, "time")));
        var job = ReadString(rows, ref at, "job");
        var source = ReadString(rows, ref at, "source_dc");
        var destination = ReadString(rows, ref at, "destination_dc");
        var bytes = (long)BinaryPrimitives.ReadUInt64LittleEndian(Take(rows, ref at, 8, "bytes"));
        var operation = ReadString(rows, ref at, "operation");
        var component = ReadString(rows, ref at, "component");
        var id = ReadString(rows, ref at, "id");
        _ = Take(rows, ref at, 8, "id_hash");
        double? lag = Take(rows, ref at, 1, "lag_seconds")[0] == 0
            ? BinaryPrimitives.ReadDoubleLittleEndian(Take(rows, ref at, 8, "lag_seconds"))
            : null;
        return new TrafficRecord(id, job, source, destination, bytes, operation, component, time) { ReplicationLagSeconds = lag };
    }

    private static string ReadString(ReadOnlySpan<byte> row, ref int at, string column)
    {
        var (length, shift) = (0u, 0);
        byte next;
        do
        {
            next = Take(row, ref at, 1, column)[0];
            length |= (uint)(next & 0x7F) << shift;
            shift += 7;
        }
        while ((next & 0x80) != 0 && shift < 35);

        return Encoding.UTF8.GetString(Take(row, ref at, checked((int)length), column));
    }

    private static ReadOnlySpan<byte> Take(ReadOnlySpan<byte> row, ref int at, int count, string column)
    {
        if (row.Length - at < count)
        {
            throw new InvalidDataException($"Traffic rows of {row.Length} bytes end inside column '{column}' (at byte {at}, {count} more wanted).");
        }

        var taken = row.Slice(at, count);
        at += count;
        return taken;
    }

    private static void CheckTime(DateTimeOffset time, string? id)
    {
        if (!TrafficRecordJson.IsStorableTime(time))
        {
            throw new ArgumentOutOfRangeException(nameof(time), time, $"Record '{id}': a ClickHouse DateTime holds 1970-01-01 to 2106-02-07.");
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

    private static void WriteString(IBufferWriter<byte> output, ReadOnlySpan<byte> utf8)
    {
        var span = output.GetSpan(utf8.Length + 5);
        var at = WriteLength(span, utf8.Length);
        utf8.CopyTo(span[at..]);
        output.Advance(at + utf8.Length);
    }

    /// <summary>A string's length as LEB128 (7 bits a byte, low first); the bytes it took.</summary>
    private static int WriteLength(Span<byte> span, int length)
    {
        var at = 0;
        var rest = (uint)length;
        while (rest >= 0x80)
        {
            span[at++] = (byte)(rest | 0x80);
            rest >>= 7;
        }

        span[at++] = (byte)rest;
        return at;
    }
}
