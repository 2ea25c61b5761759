using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Unitization.Analytics.Traffic;

/// <summary>
/// The wire format of the traffic topic: one JSON object per message,
/// <c>{"id","job","sourceDatacenter","destinationDatacenter","bytes","operation","component","time","replicationLagSeconds"?}</c>.
/// Unknown fields are ignored; a malformed message gets a reason naming the field.
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

    /// <summary>Reads one message; false with a reason a person can act on when it is not a valid record.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out TrafficRecord? record, out string? error)
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
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "id" or "job" or "sourceDatacenter" or "destinationDatacenter" or "operation" or "component":
                    if (!ReadText(ref reader, name, out var text, out error))
                    {
                        return false;
                    }

                    switch (name)
                    {
                        case "id": id = text; break;
                        case "job": job = text; break;
                        case "sourceDatacenter": source = text; break;
                        case "destinationDatacenter": destination = text; break;
                        case "operation": operation = text; break;
                        default: component = text; break;
                    }

                    break;
                case "bytes":
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var b) || b < 0)
                    {
                        error = "field 'bytes' must be a non-negative integer";
                        return false;
                    }

                    bytes = b;
                    break;
                case "time":
                    if (reader.TokenType != JsonTokenType.String || !reader.TryGetDateTimeOffset(out var t))
                    {
                        error = "field 'time' must be an ISO 8601 timestamp with an offset, e.g. 2026-01-02T03:04:05Z";
                        return false;
                    }

                    time = t;
                    break;
                case "replicationLagSeconds":
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

    private static string? Missing(string? value, string field) => value is null ? $"field '{field}' is missing" : null;

    private static bool ReadText(ref Utf8JsonReader reader, string field, out string? value, out string? error)
    {
        value = null;
        if (reader.TokenType != JsonTokenType.String)
        {
            error = $"field '{field}' must be a string";
            return false;
        }

        value = reader.GetString();
        if (string.IsNullOrWhiteSpace(value))
        {
            error = $"field '{field}' is empty";
            return false;
        }

        if (value.Length > MaxTextLength)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"field '{field}' is {value.Length} characters long (at most {MaxTextLength})");
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
