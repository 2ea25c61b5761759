using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Unitization.Analytics.Traffic;

/// <summary>
/// The wire format of the traffic topic: one JSON object per message,
/// <c>{"id","job","sourceDatacenter","destinationDatacenter","bytes","operation","component","time","replicationLagSeconds"?}</c>.
/// Unknown fields are ignored; a malformed message gets a reason naming the field.
/// Long file: the writer, the validating reader and the allocation-free flat reader of one wire format, kept side by
/// side so a field added to one is added to all three.
/// </summary>
public static class TrafficRecordJson
{
    public const int MaxTextLength = 1024;

    public static readonly string[] Components = ["router", "replicator", "client"];

    public static byte[] Serialize(TrafficRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, record);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Records as JSON lines (one object and a newline each): the body of a batched traffic message.</summary>
    public static void WriteLines(IBufferWriter<byte> output, IEnumerable<TrafficRecord> records)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(records);
        using var writer = new Utf8JsonWriter(output);
        foreach (var record in records)
        {
            writer.Reset(output);
            Write(writer, record);
            writer.Flush();
            output.GetSpan(1)[0] = (byte)'\n';
            output.Advance(1);
        }
    }

    public static void Write(Utf8JsonWriter writer, TrafficRecord record)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(record);
        writer.WriteStartObject();
        writer.WriteString("id", record.Id);
        writer.WriteString("job", record.Job);
        writer.WriteString("sourceDatacenter", record.SourceDatacenter);
        writer.WriteString("destinationDatacenter", record.DestinationDatacenter);
        writer.WriteNumber("bytes", record.Bytes);
        writer.WriteString("operation", record.Operation);
        writer.WriteString("component", record.Component);
        writer.WriteString("time", record.Time.ToUniversalTime());
        if (record.ReplicationLagSeconds is { } lag)
        {
            writer.WriteNumber("replicationLagSeconds", lag);
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// Reads one Kafka message: a single record, or several as JSON lines (one object per line, as batching producers
    /// send them). Valid records go to <paramref name="records"/>; each invalid line to <paramref name="errors"/> with
    /// its 1-based line number (0 when the message is a single line, so the whole message is the bad part).
    /// </summary>
    public static void ReadMessage(ReadOnlySpan<byte> value, List<TrafficRecord> records, List<TrafficLineError> errors)
    {
        ArgumentNullException.ThrowIfNull(records);
        var reader = new RecordCollector(records);
        ReadMessage(value, ref reader, errors);
    }

    /// <summary>
    /// The same split into records, each line handed to <paramref name="reader"/> (which keeps what it reads), so a
    /// caller can take more from a line than the record: the ingest encodes its row from the message bytes.
    /// </summary>
    internal static void ReadMessage<TReader>(ReadOnlySpan<byte> value, ref TReader reader, List<TrafficLineError> errors)
        where TReader : struct, ITrafficLineReader
    {
        ArgumentNullException.ThrowIfNull(errors);
        var newline = value.IndexOf((byte)'\n');
        if (newline < 0 || value[(newline + 1)..].Trim(" \t\r\n"u8).IsEmpty)
        {
            if (!reader.TryRead(value, out var error))
            {
                errors.Add(new TrafficLineError(0, 0, value.Length, error!));
            }

            return;
        }

        var line = 0;
        var start = 0;
        while (start < value.Length)
        {
            line++;
            var length = value[start..].IndexOf((byte)'\n');
            if (length < 0)
            {
                length = value.Length - start;
            }

            var text = value.Slice(start, length);
            if (!text.Trim(" \t\r"u8).IsEmpty && !reader.TryRead(text, out var error))
            {
                errors.Add(new TrafficLineError(line, start, length, error!));
            }

            start += length + 1;
        }
    }

    /// <summary>Reads one line of a message into records (what <see cref="ReadMessage(ReadOnlySpan{byte}, List{TrafficRecord}, List{TrafficLineError})"/> does with each).</summary>
    private readonly struct RecordCollector(List<TrafficRecord> records) : ITrafficLineReader
    {
        public bool TryRead(ReadOnlySpan<byte> line, out string? error)
        {
            if (!TryParse(line, out var record, out error))
            {
                return false;
            }

            records.Add(record!);
            return true;
        }
    }

    /// <summary>Reads one message; false with a reason a person can act on when it is not a valid record.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out TrafficRecord? record, out string? error)
    {
        if (TryParseFlat(utf8, out record))
        {
            error = null;
            return true;
        }

        return TryParseWithReader(utf8, out record, out error);
    }

    /// <summary>The full reader: any valid JSON, and the reason when it is not a valid record.</summary>
    internal static bool TryParseWithReader(ReadOnlySpan<byte> utf8, out TrafficRecord? record, out string? error)
    {
        record = null;
        try
        {
            return TryParseCore(utf8, out record, out error);
        }
        catch (JsonException e)
        {
            error = $"not valid JSON (byte {e.BytePositionInLine}): {e.Message}";
            return false;
        }
    }

    private static bool TryParseCore(ReadOnlySpan<byte> utf8, out TrafficRecord? record, out string? error)
    {
        record = null;
        var reader = new Utf8JsonReader(utf8);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            error = "a traffic record is a JSON object";
            return false;
        }

        string? id = null, job = null, source = null, destination = null, operation = null, component = null;
        long? bytes = null;
        DateTimeOffset? time = null;
        double? lag = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var field = FieldOf(ref reader);
            reader.Read();
            switch (field)
            {
                case Field.Id or Field.Job or Field.SourceDatacenter or Field.DestinationDatacenter or Field.Operation or Field.Component:
                    if (!ReadText(ref reader, field, out var text, out error))
                    {
                        return false;
                    }

                    switch (field)
                    {
                        case Field.Id: id = text; break;
                        case Field.Job: job = text; break;
                        case Field.SourceDatacenter: source = text; break;
                        case Field.DestinationDatacenter: destination = text; break;
                        case Field.Operation: operation = text; break;
                        default: component = text; break;
                    }

                    break;
                case Field.Bytes:
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var b) || b < 0)
                    {
                        error = "field 'bytes' must be a non-negative integer";
                        return false;
                    }

                    bytes = b;
                    break;
                case Field.Time:
                    if (reader.TokenType != JsonTokenType.String || !(TryReadUtcTime(ref reader, out var t) || reader.TryGetDateTimeOffset(out t)))
                    {
                        error = "field 'time' must be an ISO 8601 timestamp with an offset, e.g. 2026-01-02T03:04:05Z";
                        return false;
                    }

                    if (!IsStorableTime(t))
                    {
                        error = "field 'time' must lie between 1970-01-01 and 2106-02-07 (what a ClickHouse DateTime holds)";
                        return false;
                    }

                    time = t;
                    break;
                case Field.ReplicationLagSeconds:
                    if (reader.TokenType == JsonTokenType.Null)
                    {
                        break;
                    }

                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var l) || l < 0 || double.IsInfinity(l))
                    {
                        error = "field 'replicationLagSeconds' must be a non-negative number";
                        return false;
                    }

                    lag = l;
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        error = Missing(id, "id") ?? Missing(job, "job") ?? Missing(source, "sourceDatacenter") ?? Missing(destination, "destinationDatacenter")
            ?? (bytes is null ? "field 'bytes' is missing" : null)
            ?? Missing(operation, "operation") ?? Missing(component, "component")
            ?? (time is null ? "field 'time' is missing" : null);
        if (error is not null)
        {
            return false;
        }

        if (Array.IndexOf(Components, component) < 0)
        {
            error = $"field 'component' is '{component}'; expected one of {string.Join(", ", Components)}";
            return false;
        }

        record = new TrafficRecord(id!, job!, source!, destination!, bytes!.Value, operation!, component!, time!.Value.ToUniversalTime())
        {
            ReplicationLagSeconds = lag,
        };
        return true;
    }

    /// <summary>
    /// Reads the shape producers send (this project's own included) without a general JSON reader: one flat object
    /// whose values are printable ASCII strings without escapes, a plain non-negative integer for <c>bytes</c>, and
    /// <c>replicationLagSeconds</c> absent or null. Anything else (escapes, other characters, numbers of another form,
    /// unknown fields, nested values, a missing or invalid field) answers false and is left to the full reader, which
    /// also words the error. So a record read here is exactly the record the full reader would return.
    /// </summary>
    internal static bool TryParseFlat(ReadOnlySpan<byte> utf8, out TrafficRecord? record)
    {
        if (!TryReadFlat(utf8, out var flat))
        {
            record = null;
            return false;
        }

        record = flat.ToRecord();
        return true;
    }

    /// <summary>
    /// <see cref="TryParseFlat"/> without making the record: the fields as they are in <paramref name="utf8"/>
    /// (printable ASCII, so the UTF-8 bytes are the text), checked exactly as the record would be.
    /// </summary>
    internal static bool TryReadFlat(ReadOnlySpan<byte> utf8, out FlatTrafficRecord flat)
    {
        flat = default;
        Span<Range> texts = stackalloc Range[(int)Field.ReplicationLagSeconds]; // where each text field's value is, by Field
        long bytes = -1;
        var i = SkipSpace(utf8, 0);
        if (i >= utf8.Length || utf8[i] != '{')
        {
            return false;
        }

        i = SkipSpace(utf8, i + 1);
        while (true)
        {
            if (!TryFlatString(utf8, ref i, out var name))
            {
                return false;
            }

            i = SkipSpace(utf8, i);
            if (i >= utf8.Length || utf8[i] != ':')
            {
                return false;
            }

            i = SkipSpace(utf8, i + 1);
            if (i >= utf8.Length)
            {
                return false;
            }

            var field = FieldNamed(name);
            switch (field)
            {
                case Field.Bytes:
                    if (!TryFlatInteger(utf8, ref i, out bytes))
                    {
                        return false;
                    }

                    break;
                case Field.ReplicationLagSeconds:
                    if (!utf8[i..].StartsWith("null"u8))
                    {
                        return false;
                    }

                    i += 4;
                    break;
                case Field.Unknown:
                    return false;
                default:
                    var start = i + 1;
                    if (!TryFlatString(utf8, ref i, out var text))
                    {
                        return false;
                    }

                    texts[(int)field] = new Range(start, start + text.Length);
                    break;
            }

            i = SkipSpace(utf8, i);
            if (i < utf8.Length && utf8[i] == ',')
            {
                i = SkipSpace(utf8, i + 1);
                continue;
            }

            if (i < utf8.Length && utf8[i] == '}')
            {
                break;
            }

            return false;
        }

        ReadOnlySpan<byte> id = utf8[texts[(int)Field.Id]], job = utf8[texts[(int)Field.Job]], source = utf8[texts[(int)Field.SourceDatacenter]],
            destination = utf8[texts[(int)Field.DestinationDatacenter]], operation = utf8[texts[(int)Field.Operation]],
            component = utf8[texts[(int)Field.Component]], time = utf8[texts[(int)Field.Time]];
        if (bytes < 0 || !FlatText(id) || !FlatText(job) || !FlatText(source) || !FlatText(destination) || !FlatText(operation) || !FlatText(component)
            || !TryReadUtcTime(time, out var at) || !IsStorableTime(at))
        {
            return false;
        }

        if (!IsComponent(component))
        {
            return false;
        }

        flat = new FlatTrafficRecord(id, job, source, destination, bytes, operation, component, at);
        return true;
    }

    private static bool IsComponent(ReadOnlySpan<byte> ascii)
    {
        foreach (var component in Components)
        {
            if (Ascii.Equals(ascii, component))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether a record time fits a ClickHouse <c>DateTime</c> (whole seconds since 1970 in a UInt32: 1970-01-01 to 2106-02-07).</summary>
    internal static bool IsStorableTime(DateTimeOffset time) => time.ToUnixTimeSeconds() is >= 0 and <= uint.MaxValue;

    /// <summary>A text field the full reader would take as it is: present, not blank, not too long.</summary>
    private static bool FlatText(ReadOnlySpan<byte> text) =>
        text.Length is > 0 and <= MaxTextLength && text.IndexOfAnyExcept((byte)' ') >= 0;

    private static int SkipSpace(ReadOnlySpan<byte> utf8, int i)
    {
        while (i < utf8.Length && utf8[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            i++;
        }

        return i;
    }

    /// <summary>A string of printable ASCII without escapes at <paramref name="i"/>; moves past its closing quote.</summary>
    private static bool TryFlatString(ReadOnlySpan<byte> utf8, scoped ref int i, out ReadOnlySpan<byte> text)
    {
        text = default;
        if (i >= utf8.Length || utf8[i] != '"')
        {
            return false;
        }

        var rest = utf8[(i + 1)..];
        var end = rest.IndexOfAny((byte)'"', (byte)'\\');
        if (end < 0 || rest[end] != '"' || rest[..end].IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E) >= 0)
        {
            return false;
        }

        text = rest[..end];
        i += end + 2;
        return true;
    }

    /// <summary>A JSON integer without sign, fraction or exponent that fits a long, at <paramref name="i"/>.</summary>
    private static bool TryFlatInteger(ReadOnlySpan<byte> utf8, ref int i, out long value)
    {
        value = 0;
        var start = i;
        while (i < utf8.Length && (uint)(utf8[i] - '0') <= 9)
        {
            i++;
        }

        var digits = i - start;
        if (digits is 0 or > 18 || (digits > 1 && utf8[start] == '0')
            || (i < utf8.Length && utf8[i] is (byte)'.' or (byte)'e' or (byte)'E' or (byte)'-' or (byte)'+'))
        {
            return false;
        }

        for (var d = start; d < i; d++)
        {
            value = (value * 10) + (utf8[d] - '0');
        }

        return true;
    }

    /// <summary>
    /// The common shape fast: <c>yyyy-MM-ddTHH:mm:ss</c>, optionally a fraction of 1 to 7 digits (what .NET writes for a
    /// DateTimeOffset), then <c>Z</c> or <c>+00:00</c> (what producers, this project's included, write for UTC).
    /// Anything else (longer fractions, other offsets, escapes) is left to the full ISO 8601 reader.
    /// </summary>
    private static bool TryReadUtcTime(ref Utf8JsonReader reader, out DateTimeOffset time)
    {
        time = default;
        return !reader.ValueIsEscaped && TryReadUtcTime(reader.ValueSpan, out time);
    }

    private static bool TryReadUtcTime(ReadOnlySpan<byte> v, out DateTimeOffset time)
    {
        time = default;
        var zone = v.Length > 0 && v[^1] == 'Z' ? v.Length - 1 : v.EndsWith("+00:00"u8) ? v.Length - 6 : -1;
        if (zone < 19 || v[4] != '-' || v[7] != '-' || v[10] != 'T' || v[13] != ':' || v[16] != ':'
            || !Digits(v[..4], out var year) || !Digits(v.Slice(5, 2), out var month) || !Digits(v.Slice(8, 2), out var day)
            || !Digits(v.Slice(11, 2), out var hour) || !Digits(v.Slice(14, 2), out var minute) || !Digits(v.Slice(17, 2), out var second)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var ticks = 0;
        if (zone > 19)
        {
            // ".f" to ".fffffff": ticks are 100 ns, so 7 digits are exact
            var fraction = v[20..zone];
            if (v[19] != '.' || fraction.Length is < 1 or > 7 || !Digits(fraction, out ticks))
            {
                return false;
            }

            for (var d = fraction.Length; d < 7; d++)
            {
                ticks *= 10;
            }
        }

        time = new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero).AddTicks(ticks);
        return true;
    }

    private static bool Digits(ReadOnlySpan<byte> text, out int value)
    {
        value = 0;
        foreach (var c in text)
        {
            var digit = c - (byte)'0';
            if ((uint)digit > 9)
            {
                return false;
            }

            value = (value * 10) + digit;
        }

        return true;
    }

    private static string? Missing(string? value, string field) => value is null ? $"field '{field}' is missing" : null;

    private enum Field
    {
        Unknown,
        Id,
        Job,
        SourceDatacenter,
        DestinationDatacenter,
        Bytes,
        Operation,
        Component,
        Time,
        ReplicationLagSeconds,
    }

    /// <summary>The property the reader is on, compared as UTF-8 by length first (no string per property name).</summary>
    private static Field FieldOf(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped)
        {
            return FieldOfEscaped(ref reader);
        }

        return FieldNamed(reader.ValueSpan);
    }

    /// <summary>The field a property name (unescaped UTF-8) names, compared by length first.</summary>
    private static Field FieldNamed(ReadOnlySpan<byte> name) => name.Length switch
    {
        2 when name.SequenceEqual("id"u8) => Field.Id,
        3 when name.SequenceEqual("job"u8) => Field.Job,
        4 when name.SequenceEqual("time"u8) => Field.Time,
        5 when name.SequenceEqual("bytes"u8) => Field.Bytes,
        9 when name.SequenceEqual("operation"u8) => Field.Operation,
        9 when name.SequenceEqual("component"u8) => Field.Component,
        16 when name.SequenceEqual("sourceDatacenter"u8) => Field.SourceDatacenter,
        21 when name.SequenceEqual("destinationDatacenter"u8) => Field.DestinationDatacenter,
        21 when name.SequenceEqual("replicationLagSeconds"u8) => Field.ReplicationLagSeconds,
        _ => Field.Unknown,
    };

    private static Field FieldOfEscaped(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("id"u8) ? Field.Id
        : reader.ValueTextEquals("job"u8) ? Field.Job
        : reader.ValueTextEquals("sourceDatacenter"u8) ? Field.SourceDatacenter
        : reader.ValueTextEquals("destinationDatacenter"u8) ? Field.DestinationDatacenter
        : reader.ValueTextEquals("bytes"u8) ? Field.Bytes
        : reader.ValueTextEquals("operation"u8) ? Field.Operation
        : reader.ValueTextEquals("component"u8) ? Field.Component
        : reader.ValueTextEquals("time"u8) ? Field.Time
        : reader.ValueTextEquals("replicationLagSeconds"u8) ? Field.ReplicationLagSeconds
        : Field.Unknown;

    private static string FieldName(Field field) => field switch
    {
        Field.Id => "id",
        Field.Job => "job",
        Field.SourceDatacenter => "sourceDatacenter",
        Field.DestinationDatacenter => "destinationDatacenter",
        Field.Operation => "operation",
        _ => "component",
    };

    private static bool ReadText(ref Utf8JsonReader reader, Field field, out string? value, out string? error)
    {
        value = null;
        if (reader.TokenType != JsonTokenType.String)
        {
            error = $"field '{FieldName(field)}' must be a string";
            return false;
        }

        // Utf8JsonReader checks a string's UTF-8 only when it unescapes it (GetString throws then)
        if (!reader.ValueIsEscaped && !Utf8.IsValid(reader.ValueSpan))
        {
            error = $"field '{FieldName(field)}' is not valid UTF-8";
            return false;
        }

        // the id is unique per record; the other texts repeat and are shared
        try
        {
            value = field != Field.Id && !reader.ValueIsEscaped && reader.ValueSpan.Length <= Utf8StringCache.MaxLength
                ? Utf8StringCache.Current.Get(reader.ValueSpan)
                : reader.GetString();
        }
        catch (InvalidOperationException)
        {
            error = $"field '{FieldName(field)}' is not valid UTF-8";
            return false;
        }
        if (string.IsNullOrWhiteSpace(value))
        {
            error = $"field '{FieldName(field)}' is empty";
            return false;
        }

        if (value.Length > MaxTextLength)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"field '{FieldName(field)}' is {value.Length} characters long (at most {MaxTextLength})");
            return false;
        }

        // "\u0000" and the like are valid JSON escapes, but no job or datacenter name to store and show
        var control = value.AsSpan().IndexOfAnyInRange('\u0000', '\u001f');
        if (control < 0)
        {
            control = value.AsSpan().IndexOfAnyInRange('\u007f', '\u009f');
        }

        if (control >= 0)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"field '{FieldName(field)}' contains the control character U+{(int)value[control]:X4}");
            value = null;
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>The first characters of a message, for a log line or a dead letter.</summary>
    public static string Preview(ReadOnlySpan<byte> utf8, int max = 200)
    {
        var text = Encoding.UTF8.GetString(utf8.Length > max * 4 ? utf8[..(max * 4)] : utf8);
        return text.Length > max ? text[..max] + "…" : text;
    }
}
