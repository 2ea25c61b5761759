using System.Text.Json;
using Unitization.Replication.Events;
using Unitization.Replication.Metastore;
using Unitization.Replication.Metastore.Thrift;

namespace Unitization.Replication.Tests.Fakes;

/// <summary>HMS events as Hive's JSONMessageEncoder writes them, for the planner's and the worker's tests.</summary>
internal static class HiveEvents
{
    public const string Db = "sales";
    public const string Table = "orders";
    public const string TableLocation = "hdfs://nameservice1/warehouse/sales/orders";

    /// <summary>The embedded Thrift object of the issue: <c>createTime</c> (field 4, i32) holding a number no i32 holds.</summary>
    public const string OverflowingTableObjJson = """{"1":{"str":"orders"},"2":{"str":"sales"},"4":{"i32":99999999999999999999999}}""";

    public static Table MakeTable(params string[] partitionKeys) => new()
    {
        DbName = Db,
        TableName = Table,
        Sd = new StorageDescriptor { Location = TableLocation },
        PartitionKeys = partitionKeys.Select(k => new FieldSchema { Name = k, Type = "string" }).ToList(),
    };

    public static Partition MakePartition(string dt) => new()
    {
        DbName = Db,
        TableName = Table,
        Values = [dt],
        Sd = new StorageDescriptor { Location = $"{TableLocation}/dt={dt}" },
    };

    public static string Json(object message) => JsonSerializer.Serialize(message);

    public static HmsEventEnvelope Envelope(string eventType, string message, long eventId = 1) =>
        new(eventId, 1_764_000_000, eventType, Db, Table, message, HiveEventType.JsonMessageFormat);

    public static async Task<HmsEventEnvelope> CreateTableAsync(Table table) =>
        Envelope(HiveEventType.CreateTable, Json(new { db = Db, table = Table, tableObjJson = await ThriftJson.SerializeAsync(table, CancellationToken.None) }));

    public static async Task<HmsEventEnvelope> AddPartitionAsync(Table table, params Partition[] partitions)
    {
        var objects = new List<string>();
        foreach (var partition in partitions)
        {
            objects.Add(await ThriftJson.SerializeAsync(partition, CancellationToken.None));
        }

        return Envelope(HiveEventType.AddPartition, Json(new
        {
            db = Db,
            table = Table,
            tableObjJson = await ThriftJson.SerializeAsync(table, CancellationToken.None),
            partitions = partitions.Select(p => new Dictionary<string, string> { ["dt"] = p.Values![0] }).ToList(),
            partitionListJson = objects,
        }));
    }
}
