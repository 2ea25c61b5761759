using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Unitization.Replication.Metastore;

namespace Unitization.IntegrationTests.Replication;

/// <summary>
/// HMS events no replicator can apply, drawn at random from kinds an attacker or a broken producer sends: wrong types,
/// huge and denormal numbers where Thrift wants an i32, truncated JSON, unknown shapes, control characters and
/// over-long names, unknown event type names, envelopes that are not envelopes, wrong base64 and gzip. Every one of
/// them must be dead-lettered; the two inputs are among them.
/// </summary>
internal static class AdversarialEvents
{
    /// <summary>An HMS event (type, db, table, message) for the sample HMS's notification log.</summary>
    internal sealed record HmsEvent(string Kind, string EventType, string Db, string Table, string Message);

    private static readonly string[] HostileNumbers =
    [
        "99999999999999999999999", "-99999999999999999999999", "1e400", "5e-324", "4.9e-324", "2147483648", "-2147483649", "1.5", "NaN", "true", "null",
    ];

    // ALTER_TABLE carries its table as tableObjBeforeJson/tableObjAfterJson, so a tableObjJson there is an unknown field
    private static readonly string[] TableEventTypes = [HiveEventType.CreateTable, HiveEventType.DropTable];

    private static readonly string[] PartitionEventTypes = [HiveEventType.AddPartition, HiveEventType.AlterPartition, HiveEventType.Insert];

    public static HmsEvent NextHmsEvent(Random random, string db, string table)
    {
        var i = random.Next(10);
        return i switch
        {
            // issue 16: {"4":{"i32":99999999999999999999999}} in the embedded Thrift JSON, and its kin
            0 => new("thrift-i32", Pick(random, TableEventTypes), db, table, Json(new { db, table, tableObjJson = "{\"1\":{\"str\":\"" + table + "\"},\"4\":{\"i32\":" + Pick(random, HostileNumbers) + "}}" })),
            1 => new("thrift-partition", Pick(random, PartitionEventTypes), db, table, Json(new
            {
                db,
                table,
                partitionListJson = new[] { "{\"1\":{\"lst\":[\"str\",1,\"x\"]},\"4\":{\"i32\":" + Pick(random, HostileNumbers) + "}}" },
                partitionObjAfterJson = "{\"4\":{\"i32\":" + Pick(random, HostileNumbers) + "}}",
                ptnObjJson = "{\"4\":{\"i32\":" + Pick(random, HostileNumbers) + "}}",
            })),
            // issue 16: an ADD_PARTITION whose partitionListJson is [5], and other values that are not Thrift JSON strings
            2 => new("partition-list", HiveEventType.AddPartition, db, table, $$"""{"db":"{{db}}","table":"{{table}}","partitionListJson":[{{Pick(random, ["5", "null", "true", "{}", "[]", "-0.0", "1e308"])}}]}"""),
            3 => new("truncated", Pick(random, PartitionEventTypes), db, table, Truncate(random, Json(new { db, table, partitions = new[] { new { dt = "2026-12-06" } } }))),
            4 => new("wrong-types", Pick(random, PartitionEventTypes), db, table, Pick(random,
            [
                $$"""{"db":{{Pick(random, HostileNumbers)}},"table":"{{table}}"}""",
                $$"""{"db":"{{db}}","table":"{{table}}","partitions":[{{Pick(random, HostileNumbers)}}]}""",
                $$"""{"db":"{{db}}","table":"{{table}}","partitions":[{"dt":{{Pick(random, HostileNumbers)}}}]}""",
                $$"""{"db":"{{db}}","table":"{{table}}","keyValues":{"dt":""" + Pick(random, HostileNumbers) + "}}",
                $$"""[{"db":"{{db}}","table":"{{table}}"}]""",
                Pick(random, HostileNumbers),
            ])),
            // (an event whose own table name is unusable never leaves an HMS that filters by the ruled tables: see NextRecord)
            5 => new("control-name-in-message", Pick(random, PartitionEventTypes), db, table, Json(new { db = db + (char)random.Next(0, 32), table })),
            6 => new("long-name-in-message", Pick(random, PartitionEventTypes), db, table, Json(new { db, table = new string('e', 257 + random.Next(5000)) })),
            7 => new("unknown-type", Pick(random, ["add_partition", "ADD PARTITION", "ADD-PARTITION", "1ADD", "ADD_PARTITION\u0000", new string('X', 300), "ÄDD_PARTITION", ""]), db, table, Json(new { db, table })),
            8 => new("other-table-in-message", HiveEventType.AddPartition, db, table, Json(new { db, table = table + "_x" + random.Next(1000), partitions = new[] { new { dt = "x" } } })),
            _ => new("bad-location", Pick(random, TableEventTypes), db, table, Json(new
            {
                db,
                table,
                tableObjJson = "{\"1\":{\"str\":\"" + table + "\"},\"7\":{\"rec\":{\"2\":{\"str\":\"" + Pick(random, ["relative/path", "", "/a/../b", "s3a://bucket/x", "ftp://host/x"]) + "\"}}}}",
            })),
        };
    }

    /// <summary>A record for the events topic itself (what a broken or hostile producer puts there): never an applicable envelope.</summary>
    public static (string Kind, byte[] Value) NextRecord(Random random, string db, string table)
    {
        var envelope = Json(new { eventId = random.Next(1, 1_000_000), eventTime = 1, eventType = HiveEventType.AddPartition, dbName = db, tableName = table, message = Json(new { db, table }) });
        return random.Next(10) switch
        {
            8 => ("control-name", Encoding.UTF8.GetBytes(Json(new { eventId = 9, eventTime = 1, eventType = HiveEventType.AddPartition, dbName = db, tableName = table + (char)random.Next(0, 32), message = Json(new { db, table }) }))),
            9 => ("long-name", Encoding.UTF8.GetBytes(Json(new { eventId = 9, eventTime = 1, eventType = HiveEventType.AddPartition, dbName = db, tableName = new string('e', 257 + random.Next(5000)), message = Json(new { db, table }) }))),
            0 => ("not-json", Encoding.UTF8.GetBytes("{" + RandomText(random, 40))),
            1 => ("truncated-envelope", Encoding.UTF8.GetBytes(Truncate(random, envelope))),
            2 => ("invalid-utf8", [0x7B, 0x22, 0xC3, 0x28, 0xFF, 0xFE, 0x22, 0x7D]),
            3 => ("envelope-wrong-types", Encoding.UTF8.GetBytes($$"""{"eventId":{{Pick(random, ["\"1\"", "1e400", "99999999999999999999999", "[]"])}},"eventType":"ADD_PARTITION","dbName":"{{db}}","tableName":"{{table}}","message":"{}"}""")),
            4 => ("envelope-missing-fields", Encoding.UTF8.GetBytes($$"""{"eventId":1,"dbName":"{{db}}","tableName":"{{table}}"}""")),
            5 => ("bad-base64", Encoding.UTF8.GetBytes(Gzip(db, table, "!!not base64!!" + RandomText(random, 10)))),
            6 => ("base64-not-gzip", Encoding.UTF8.GetBytes(Gzip(db, table, Convert.ToBase64String(Encoding.UTF8.GetBytes(RandomText(random, 30)))))),
            _ => ("gzip-of-truncated-json", Encoding.UTF8.GetBytes(Gzip(db, table, Convert.ToBase64String(GzipBytes(Truncate(random, Json(new { db, table, partitionListJson = new[] { "{}" } }))))))),
        };
    }

    private static string Gzip(string db, string table, string message) =>
        Json(new { eventId = 7, eventTime = 1, eventType = HiveEventType.AddPartition, dbName = db, tableName = table, message, messageFormat = "gzip(json-2.0)" });

    private static byte[] GzipBytes(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return buffer.ToArray();
    }

    private static string Json(object value) => JsonSerializer.Serialize(value);

    private static string Truncate(Random random, string json) => json[..random.Next(1, json.Length - 1)];

    private static string RandomText(Random random, int length) =>
        new(Enumerable.Range(0, length).Select(_ => (char)random.Next(0x20, 0x7F)).ToArray());

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
