using System.Text.Json;

namespace Unitization.Replication.Metastore;

/// <summary>
/// The fields of a Hive event message the replicator reads, once decoded from its <c>messageFormat</c>
/// (<see cref="HiveMessageFormat"/>): <c>db</c>, <c>table</c>, <c>tableObjJson</c> (<c>tableObjAfterJson</c> and
/// <c>tableObjBeforeJson</c> for ALTER_TABLE), <c>partitions</c> (a key-value map per partition), <c>partitionListJson</c>
/// (ADD_PARTITION), <c>keyValues</c> and <c>partitionObjAfterJson</c> (ALTER_PARTITION), <c>ptnObjJson</c> (INSERT);
/// for ACID_WRITE_EVENT <c>database</c>, <c>table</c>, <c>txnid</c>, <c>tableObjJason</c> (Hive's spelling) and
/// <c>partitionObjJson</c>. Absent fields are null or empty.
/// </summary>
public sealed record HiveMessage(
    string Db,
    string Table,
    string? TableObjJson,
    IReadOnlyList<IReadOnlyDictionary<string, string>> Partitions,
    IReadOnlyList<string> PartitionObjJsons)
{
    /// <summary>ALTER_TABLE: the table before the change.</summary>
    public string? TableObjBeforeJson { get; init; }

    /// <summary>ACID_WRITE_EVENT: the transaction that wrote.</summary>
    public long? TxnId { get; init; }

    /// <summary>Decodes <paramref name="message"/> by <paramref name="messageFormat"/>, then parses it.</summary>
    public static HiveMessage Parse(string eventType, string? messageFormat, string message) =>
        Parse(eventType, HiveMessageFormat.Decode(messageFormat, message));

    public static HiveMessage Parse(string eventType, string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new MalformedEventException($"{eventType} message is not JSON: {ex.Message}", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new MalformedEventException($"{eventType} message is not a JSON object.");
            }

            var acid = eventType is HiveEventType.AcidWrite or HiveEventType.CommittedWrite;
            var db = RequiredString(root, acid ? "database" : "db", eventType);
            var table = RequiredString(root, "table", eventType);
            var partitions = new List<IReadOnlyDictionary<string, string>>();
            var objects = new List<string>();
            if (root.TryGetProperty("partitions", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in list.EnumerateArray())
                {
                    partitions.Add(KeyValues(item, "partitions[]", eventType));
                }
            }

            if (root.TryGetProperty("keyValues", out var keyValues) && keyValues.ValueKind == JsonValueKind.Object)
            {
                partitions.Add(KeyValues(keyValues, "keyValues", eventType));
            }

            if (root.TryGetProperty("partitionListJson", out var objs) && objs.ValueKind == JsonValueKind.Array)
            {
                objects.AddRange(objs.EnumerateArray().Select(o => o.ValueKind == JsonValueKind.String
                    ? o.GetString()!
                    : throw new MalformedEventException($"{eventType} message: partitionListJson holds {o.ValueKind} where a partition's Thrift JSON string belongs.")));
            }

            foreach (var single in new[] { "partitionObjAfterJson", "ptnObjJson", "partitionObjJson" })
            {
                if (root.TryGetProperty(single, out var obj) && obj.ValueKind == JsonValueKind.String)
                {
                    objects.Add(obj.GetString()!);
                }
            }

            var tableObj = OptionalString(root, "tableObjJson") ?? OptionalString(root, "tableObjAfterJson") ?? OptionalString(root, "tableObjJason");
            var txn = root.TryGetProperty("txnid", out var t) && t.ValueKind == JsonValueKind.Number && t.TryGetInt64(out var id) ? id : (long?)null;
            if (acid && txn is null)
            {
                throw new MalformedEventException($"{eventType} message has no 'txnid' number.");
            }

            return new HiveMessage(db, table, tableObj, partitions, objects) { TableObjBeforeJson = OptionalString(root, "tableObjBeforeJson"), TxnId = txn };
        }
    }

    private static string? OptionalString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string RequiredString(JsonElement root, string name, string eventType)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
        {
            throw new MalformedEventException($"{eventType} message has no '{name}' string.");
        }

        return value.GetString()!.ToLowerInvariant();
    }

    private static Dictionary<string, string> KeyValues(JsonElement element, string field, string eventType)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new MalformedEventException($"{eventType} message: '{field}' is not an object of partition key to value.");
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            map[property.Name] = property.Value.ValueKind == JsonValueKind.String
                ? property.Value.GetString()!
                : throw new MalformedEventException($"{eventType} message: '{field}.{property.Name}' is not a string.");
        }

        return map;
    }
}
