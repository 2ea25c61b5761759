using Unitization.Replication.Events;
using Unitization.Replication.Metastore;
using FieldSchema = Unitization.Replication.Metastore.Thrift.FieldSchema;
using ThriftTable = Unitization.Replication.Metastore.Thrift.Table;
using Unitization.Replication.Tests.Fakes;
using Unitization.Replication.Workers;
using static Unitization.Replication.Tests.Fakes.HiveEvents;

namespace Unitization.Replication.Tests.Workers;

public sealed class EventPlannerTests
{
    private const string TablePath = "/warehouse/sales/orders";
    private readonly FakeMetastore _metastore = new();
    private readonly EventPlanner _planner;

    public EventPlannerTests() => _planner = new EventPlanner(_metastore);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PlanAsync_CreateUnpartitionedTable_CopiesTableFromMessageWithoutLookup()
    {
        var actions = await _planner.PlanAsync(await CreateTableAsync(MakeTable()), Ct);

        Assert.Equal([new ReplicaAction(ReplicaActionKind.Copy, TablePath)], actions);
        Assert.Equal(0, _metastore.Calls);
    }

    [Fact]
    public async Task ReportedLocationAsync_CreateTable_TheTableAndItsNamespacePath_OtherEventsNone()
    {
        Assert.Equal(("sales", "orders", TablePath), await EventPlanner.ReportedLocationAsync(await CreateTableAsync(MakeTable("dt")), Ct));
        Assert.Null(await EventPlanner.ReportedLocationAsync(await AddPartitionAsync(MakeTable("dt"), MakePartition("2026-11-01")), Ct));
        Assert.Null(await EventPlanner.ReportedLocationAsync(Envelope(HiveEventType.CreateTable, "{not json"), Ct));
    }

    [Fact]
    public async Task PlanAsync_CreatePartitionedTable_NothingToCopyYet()
    {
        Assert.Empty(await _planner.PlanAsync(await CreateTableAsync(MakeTable("dt")), Ct));
    }

    [Fact]
    public async Task PlanAsync_AddPartitionsWithThriftObjects_CopiesEachPartitionLocation()
    {
        var envelope = await AddPartitionAsync(MakeTable("dt"), MakePartition("2026-11-01"), MakePartition("2026-11-02"));

        var actions = await _planner.PlanAsync(envelope, Ct);

        Assert.Equal(
            [new ReplicaAction(ReplicaActionKind.Copy, TablePath + "/dt=2026-11-01"), new ReplicaAction(ReplicaActionKind.Copy, TablePath + "/dt=2026-11-02")],
            actions);
        Assert.Equal(0, _metastore.Calls);
    }

    [Fact]
    public async Task PlanAsync_AddPartitionWithSpecOnly_LooksPartitionsUpInHms()
    {
        _metastore.Tables["sales.orders"] = MakeTable("dt");
        _metastore.Partitions["sales.orders/dt=2026-11-03"] = MakePartition("2026-11-03");
        var envelope = Envelope(HiveEventType.AddPartition, Json(new { db = Db, table = Table, partitions = new[] { new { dt = "2026-11-03" } } }));

        var actions = await _planner.PlanAsync(envelope, Ct);

        Assert.Equal([new ReplicaAction(ReplicaActionKind.Copy, TablePath + "/dt=2026-11-03")], actions);
        Assert.Equal(2, _metastore.Calls);
    }

    [Fact]
    public async Task PlanAsync_DropPartition_DeletesItsDirectoryUnderTheTable()
    {
        var table = await ThriftJson.SerializeAsync(MakeTable("dt"), Ct);
        var envelope = Envelope(HiveEventType.DropPartition, Json(new { db = Db, table = Table, tableObjJson = table, partitions = new[] { new { dt = "2026-11-04" } } }));

        Assert.Equal([new ReplicaAction(ReplicaActionKind.Delete, TablePath + "/dt=2026-11-04")], await _planner.PlanAsync(envelope, Ct));
    }

    [Fact]
    public async Task PlanAsync_AlterPartitionedTableSchemaOnly_CopiesNothing()
    {
        var before = MakeTable("dt");
        var after = MakeTable("dt");
        after.Sd!.Cols = [new FieldSchema { Name = "amount", Type = "decimal(10,2)" }];
        _metastore.Partitions["sales.orders/dt=2026-11-01"] = MakePartition("2026-11-01");

        Assert.Empty(await _planner.PlanAsync(await AlterTableAsync(before, after), Ct));
        Assert.Equal(0, _metastore.Calls); // a schema change moves no file: HMS is not even asked for the partitions
    }

    [Fact]
    public async Task PlanAsync_AlterPartitionedTableLocation_CopiesEveryPartitionWhereItLivesAndDropsTheOldTableDirectory()
    {
        var before = MakeTable("dt");
        var after = MakeTable("dt");
        after.Sd!.Location = "hdfs://nameservice1/warehouse/sales/orders_v2";
        var moved = MakePartition("2026-11-01");
        moved.Sd!.Location = "hdfs://nameservice1/warehouse/sales/orders_v2/dt=2026-11-01";
        var custom = MakePartition("2026-11-02");
        custom.Sd!.Location = "hdfs://nameservice1/archive/orders/2026-11-02"; // ALTER PARTITION ... SET LOCATION
        _metastore.Tables["sales.orders"] = after;
        _metastore.Partitions["sales.orders/dt=2026-11-01"] = moved;
        _metastore.Partitions["sales.orders/dt=2026-11-02"] = custom;

        var actions = await _planner.PlanAsync(await AlterTableAsync(before, after), Ct);

        Assert.Equal(
            [
                new ReplicaAction(ReplicaActionKind.Copy, "/warehouse/sales/orders_v2/dt=2026-11-01"),
                new ReplicaAction(ReplicaActionKind.Copy, "/archive/orders/2026-11-02"),
                new ReplicaAction(ReplicaActionKind.Delete, TablePath),
            ],
            actions);
    }

    private static async Task<HmsEventEnvelope> AlterTableAsync(ThriftTable before, ThriftTable after) =>
        Envelope(HiveEventType.AlterTable, Json(new
        {
            db = Db,
            table = Table,
            tableObjBeforeJson = await ThriftJson.SerializeAsync(before, CancellationToken.None),
            tableObjAfterJson = await ThriftJson.SerializeAsync(after, CancellationToken.None),
        }));

    [Fact]
    public async Task PlanAsync_DropTableWithoutTableObject_MalformedNamingTheField()
    {
        var envelope = Envelope(HiveEventType.DropTable, Json(new { db = Db, table = Table }));

        var error = await Assert.ThrowsAsync<MalformedEventException>(() => _planner.PlanAsync(envelope, Ct));
        Assert.Contains("tableObjJson", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlanAsync_ResyncOfTableGoneFromHms_NothingToDo()
    {
        var envelope = Envelope(HiveEventType.Resync, Json(new { db = Db, table = Table }));

        Assert.Empty(await _planner.PlanAsync(envelope, Ct));
    }

    [Fact]
    public async Task PlanAsync_EventTypeTheReplicatorDoesNotActOn_NothingToDo()
    {
        Assert.Empty(await _planner.PlanAsync(Envelope("ADD_PRIMARYKEY", "{}"), Ct));
    }

    // issue 16, case 3: HMS event whose embedded Thrift JSON holds {"4":{"i32":99999999999999999999999}}
    [Theory]
    [InlineData(HiveEventType.CreateTable)]
    [InlineData(HiveEventType.DropTable)]
    public async Task PlanAsync_TableObjectWithI32Overflow_MalformedNotOverflow(string eventType)
    {
        var envelope = Envelope(eventType, Json(new { db = Db, table = Table, tableObjJson = OverflowingTableObjJson }));

        var error = await Assert.ThrowsAsync<MalformedEventException>(() => _planner.PlanAsync(envelope, Ct));
        Assert.Contains("tableObjJson", error.Message, StringComparison.Ordinal);
        Assert.IsType<OverflowException>(error.InnerException);
    }

    [Fact]
    public async Task PlanAsync_PartitionObjectWithI32Overflow_MalformedNotOverflow()
    {
        var envelope = Envelope(HiveEventType.AddPartition, Json(new { db = Db, table = Table, partitionListJson = new[] { OverflowingTableObjJson } }));

        var error = await Assert.ThrowsAsync<MalformedEventException>(() => _planner.PlanAsync(envelope, Ct));
        Assert.Contains("Partition", error.Message, StringComparison.Ordinal);
    }

    // issue 16, case 3: an ADD_PARTITION whose partitionListJson is [5]
    [Fact]
    public async Task PlanAsync_PartitionListJsonHoldsANumber_MalformedNotTransient()
    {
        var envelope = Envelope(HiveEventType.AddPartition, """{"db":"sales","table":"orders","partitionListJson":[5]}""");

        var error = await Assert.ThrowsAsync<MalformedEventException>(() => _planner.PlanAsync(envelope, Ct));
        Assert.Contains("partitionListJson", error.Message, StringComparison.Ordinal);
        Assert.False(EventFailure.IsTransient(error));
    }

    [Theory]
    [InlineData("{\"db\":\"sales\",\"table\":")]
    [InlineData("[]")]
    [InlineData("{\"db\":5,\"table\":\"orders\"}")]
    [InlineData("{\"db\":\"sales\",\"table\":\"orders\",\"partitions\":[7]}")]
    [InlineData("{\"db\":\"sales\",\"table\":\"orders\",\"partitions\":[{\"dt\":1e400}]}")]
    [InlineData("{\"db\":\"sales\",\"table\":\"orders\",\"tableObjJson\":\"{\\\"7\\\":{\\\"rec\\\":{\\\"2\\\":{\\\"str\\\":\\\"relative/path\\\"}}}}\"}")]
    public async Task PlanAsync_MalformedMessages_AllMalformed(string message)
    {
        await Assert.ThrowsAsync<MalformedEventException>(() => _planner.PlanAsync(Envelope(HiveEventType.AlterPartition, message), Ct));
    }
}
