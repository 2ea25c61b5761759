using System.Text.Json;
using System.Text.Json.Serialization;
using Unitization.Replication.Metastore;
using Unitization.Replication.Metastore.Thrift;

namespace Unitization.Replication.Events;

/// <summary>
/// One HMS notification event as the pump publishes it on the events topic (JSON, key <c>db.table</c>): the fields of
/// Hive's <c>NotificationEvent</c>, with <see cref="Message"/> the Hive JSON message as HMS wrote it.
/// </summary>
public sealed record HmsEventEnvelope(
    long EventId,
    int EventTime,
    string EventType,
    string? DbName,
    string? TableName,
    string Message,
    string? MessageFormat)
{
    /// <summary>The metastore schema's widest name column (<c>TBLS.TBL_NAME</c> is VARCHAR(256)).</summary>
    public const int MaxNameLength = 256;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>The Kafka key: <c>db.table</c> in lower case, so one table's events stay in one partition, in order.</summary>
    [JsonIgnore]
    public string Key => $"{DbName?.ToLowerInvariant()}.{TableName?.ToLowerInvariant()}";

    public static HmsEventEnvelope From(NotificationEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new HmsEventEnvelope(e.EventId, e.EventTime, e.EventType ?? string.Empty, e.DbName, e.TableName, e.Message ?? string.Empty, e.MessageFormat);
    }

    public static HmsEventEnvelope Resync(long eventId, int eventTime, string db, string table) =>
        new(eventId, eventTime, HiveEventType.Resync, db, table, JsonSerializer.Serialize(new { db, table }), HiveEventType.JsonMessageFormat);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Parses a topic record; a value that is not an envelope is a <see cref="MalformedEventException"/>.</summary>
    public static HmsEventEnvelope Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            throw new MalformedEventException("The record has no value.");
        }

        HmsEventEnvelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize<HmsEventEnvelope>(json, Json);
        }
#pragma warning disable CA1031 // whatever the deserializer throws on this text is a property of the record
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            throw new MalformedEventException($"The record is not an HMS event envelope: {ex.Message}", ex);
        }

        if (envelope is null || string.IsNullOrEmpty(envelope.EventType) || envelope.Message is null)
        {
            throw new MalformedEventException("The record lacks eventType or message.");
        }

        if (!IsEventTypeName(envelope.EventType))
        {
            throw new MalformedEventException($"eventType '{Preview(envelope.EventType)}' is not an HMS event type name (upper-case letters, digits and '_', at most {MaxNameLength} characters).");
        }

        CheckName(envelope.DbName, "dbName");
        CheckName(envelope.TableName, "tableName");
        return envelope;
    }

    private static bool IsEventTypeName(string name) =>
        name.Length <= MaxNameLength && name[0] is >= 'A' and <= 'Z' && name.All(c => c is >= 'A' and <= 'Z' or >= '0' and <= '9' or '_');

    private static void CheckName(string? name, string field)
    {
        if (string.IsNullOrEmpty(name))
        {
            return; // events about no table (a database, a transaction) carry none
        }

        if (name.Length is 0 or > MaxNameLength || name.Any(c => char.IsControl(c) || c is '.' or '/'))
        {
            throw new MalformedEventException(
                $"{field} '{Preview(name)}' ({name.Length} characters) is not a Hive name: 1-{MaxNameLength} characters, no control characters, '.' or '/'.");
        }
    }

    /// <summary>The first 40 characters of a name, control characters shown as <c>\uXXXX</c>, for a dead letter's reason.</summary>
    private static string Preview(string text)
    {
        var builder = new System.Text.StringBuilder();
        foreach (var c in text.Length > 40 ? text[..40] : text)
        {
            if (char.IsControl(c))
            {
                builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return text.Length > 40 ? builder.Append('…').ToString() : builder.ToString();
    }
}
