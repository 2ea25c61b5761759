using System.Text.Json;

namespace Unitization.Replication.Metastore;

/// <summary>
/// The fields of a Hive JSONMessageEncoder message the replicator reads: <c>db</c>, <c>table</c>, <c>tableObjJson</c>,
/// <c>partitions</c> (a key-value map per partition), <c>partitionListJson</c> (ADD_PARTITION), <c>keyValues</c> and
/// <c>partitionObjAfterJson</c> (ALTER_PARTITION), <c>ptnObjJson</c> (INSERT). Absent fields are null or empty.
/// </summary>
public sealed record HiveMessage(
    string Db,
    string Table,
    string? TableObjJson,
    IReadOnlyList<IReadOnlyDictionary<string, string>> Partitions,
    IReadOnlyList<string> PartitionObjJsons)
{
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

            var db = RequiredString(root, "db", eventType);
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
                objects.AddRange(objs.EnumerateArray().Select(o => o.GetString() ?? throw new MalformedEventException($"{eventType} message: partitionListJson holds a non-string.")));
            }

            foreach (var single in new[] { "partitionObjAfterJson", "ptnObjJson" })
            {
                if (root.TryGetProperty(single, out var obj) && obj.ValueKind == JsonValueKind.String)
                {
                    objects.Add(obj.GetString()!);
                }
            }

            var tableObj = root.TryGetProperty("tableObjJson", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            return new HiveMessage(db, table, tableObj, partitions, objects);
        }
    }

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
