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
        catch (JsonException ex)
        {
            throw new MalformedEventException($"The record is not an HMS event envelope: {ex.Message}", ex);
        }

        if (envelope is null || string.IsNullOrEmpty(envelope.EventType) || envelope.Message is null)
        {
            throw new MalformedEventException("The record lacks eventType or message.");
        }

        return envelope;
    }
}
