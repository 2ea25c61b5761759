using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Unitization.DataManager.Rules;
using Unitization.Replication.Copy;
using Unitization.Replication.Events;
using Unitization.Replication.Lifecycle;
using Unitization.Replication.Metastore;
using Unitization.Replication.Rules;
using Unitization.Replication.State;
using Unitization.Replication.Tests.Fakes;
using Unitization.Replication.Versions;
using Unitization.Replication.Workers;
using Unitization.StateStore;
using Unitization.TestUtils;
using Unitization.TestUtils.Namespaces;
using Unitization.TestUtils.Replication;
using static Unitization.Replication.Tests.Fakes.HiveEvents;

namespace Unitization.Replication.Tests.Workers;

public sealed class EventApplierTests : IDisposable
{
    private const string PartitionPath = "/warehouse/sales/orders/dt=2026-11-01";
    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 1, 0, 0, TimeSpan.Zero));
    private readonly InMemoryNamespaceCatalog _namespaces = new("dcA", "dcB", "dcC");
    private readonly InMemoryReplicaVersionStore _versions = new();
    private readonly ReplicaRegistry _registry;
    private readonly EventApplier _applier;

    public EventApplierTests()
    {
        var database = new SqliteStateDatabase(_temp.Combine("state.db"), [ReplicationSchema.Migration, ReplicationSchema.Lifecycle], NullLogger<SqliteStateDatabase>.Instance);
        _registry = new ReplicaRegistry(database);
        var options = Options.Create(new ReplicationOptions());
        var rules = new RuleBook(
            new FixedRules(new ReplicationRule("hive://metastore", "sales.orders", "dcA", ["dcA", "dcB", "dcC"], 2, 1000)),
            options,
            _time,
            NullLogger<RuleBook>.Instance);
        var copier = new ReplicaCopier(_versions, null, null, _time, NullLogger<ReplicaCopier>.Instance);
        var lifecycle = new ReplicaLifecycle(rules, _registry, copier, _namespaces, options, _time, NullLogger<ReplicaLifecycle>.Instance);
        _applier = new EventApplier(rules, new EventPlanner(new FakeMetastore()), copier, _registry, lifecycle, _namespaces, options, _time);
    }

    public void Dispose() => _temp.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ApplyAsync_CreateTableNoRuleNames_ItsLocationIsStillRecorded()
    {
        var locations = new RecordedLocations();
        var options = Options.Create(new ReplicationOptions());
        var rules = new RuleBook(new FixedRules(), options, _time, NullLogger<RuleBook>.Instance);
        var copier = new ReplicaCopier(_versions, null, null, _time, NullLogger<ReplicaCopier>.Instance);
        var lifecycle = new ReplicaLifecycle(rules, _registry, copier, _namespaces, options, _time, NullLogger<ReplicaLifecycle>.Instance);
        var applier = new EventApplier(rules, new EventPlanner(new FakeMetastore()), copier, _registry, lifecycle, _namespaces, options, _time, locations: locations);
        var table = new Unitization.Replication.Metastore.Thrift.Table { DbName = "web", TableName = "clicks", Sd = new Unitization.Replication.Metastore.Thrift.StorageDescriptor { Location = "hdfs://nameservice1/user/hive/warehouse/web.db/clicks" } };
        var message = Json(new { db = "web", table = "clicks", tableObjJson = await ThriftJson.SerializeAsync(table, Ct) });

        var applied = await applier.ApplyAsync(new HmsEventEnvelope(7, 1_764_000_000, HiveEventType.CreateTable, "web", "clicks", message, HiveEventType.JsonMessageFormat), Ct);

        Assert.Equal(0, applied);
        Assert.Equal(("web", "clicks", "/user/hive/warehouse/web.db/clicks"), Assert.Single(locations.Recorded));
    }

    private sealed class RecordedLocations : Unitization.Replication.Locations.ITableLocationStore
    {
        public List<(string, string, string)> Recorded { get; } = [];

        public Task RecordAsync(string db, string table, string path, CancellationToken cancellationToken)
        {
            Recorded.Add((db, table, path));
            return Task.CompletedTask;
        }

        public Task<string?> GetAsync(string db, string table, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

        public Task<string?> TableAtAsync(string path, CancellationToken cancellationToken) => Task.FromResult<string?>(null);
    }

    [Fact]
    public async Task ApplyAsync_AddPartition_CopiesToEveryTargetButThePrimary_AndRegistersThem()
    {
        await WritePartitionAsync(bytes: 3000);

        var applied = await _applier.ApplyAsync(await AddPartitionAsync(MakeTable("dt"), MakePartition("2026-11-01")), Ct);

        Assert.Equal(2, applied);
        foreach (var target in new[] { "dcB", "dcC" })
        {
            Assert.Equal(3000, (await _namespaces.Get(target).GetStatusAsync(PartitionPath + "/part-0", Ct))!.Length);
            Assert.NotNull(await _versions.GetAsync(target, PartitionPath, Ct));
        }

        Assert.Null(await _versions.GetAsync("dcA", PartitionPath, Ct));
        Assert.Equal(["dcB", "dcC"], (await _registry.ListAsync(null, null, Ct)).Select(r => r.Datacenter).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ApplyAsync_SameEventTwice_SecondFindsReplicasFresh()
    {
        await WritePartitionAsync(bytes: 100);
        var envelope = await AddPartitionAsync(MakeTable("dt"), MakePartition("2026-11-01"));
        await _applier.ApplyAsync(envelope, Ct);
        var first = await _versions.GetAsync("dcB", PartitionPath, Ct);

        await _applier.ApplyAsync(envelope, Ct);

        Assert.Equal(first, await _versions.GetAsync("dcB", PartitionPath, Ct));
    }

    [Fact]
    public async Task ApplyAsync_DropPartition_DeletesReplicasAndRetiresThem()
    {
        await WritePartitionAsync(bytes: 100);
        await _applier.ApplyAsync(await AddPartitionAsync(MakeTable("dt"), MakePartition("2026-11-01")), Ct);
        var table = await ThriftJson.SerializeAsync(MakeTable("dt"), Ct);
        var drop = Envelope(HiveEventType.DropPartition, Json(new { db = Db, table = Table, tableObjJson = table, partitions = new[] { new { dt = "2026-11-01" } } }));

        Assert.Equal(2, await _applier.ApplyAsync(drop, Ct));

        Assert.Null(await _namespaces.Get("dcB").GetStatusAsync(PartitionPath, Ct));
        Assert.Null(await _versions.GetAsync("dcB", PartitionPath, Ct));
        Assert.NotNull(await _namespaces.Get("dcA").GetStatusAsync(PartitionPath, Ct));
        Assert.All(await _registry.ListAsync(null, null, Ct), r => Assert.Equal(ReplicaState.Retired, r.State));
    }

    [Fact]
    public async Task ApplyAsync_TableWithoutRule_NothingDoneEvenForAMalformedMessage()
    {
        var envelope = Envelope(HiveEventType.AddPartition, """{"db":"sales","table":"orders","partitionListJson":[5]}""") with { TableName = "unruled" };

        Assert.Equal(0, await _applier.ApplyAsync(envelope, Ct));
    }

    [Fact]
    public async Task ApplyAsync_EventWithoutTable_NothingDone()
    {
        Assert.Equal(0, await _applier.ApplyAsync(Envelope("CREATE_DATABASE", "{}") with { TableName = null }, Ct));
    }

    [Fact]
    public async Task ApplyAsync_RuledTableMalformedMessage_MalformedAndNothingCopied()
    {
        await WritePartitionAsync(bytes: 100);
        var envelope = Envelope(HiveEventType.AddPartition, """{"db":"sales","table":"orders","partitionListJson":[5]}""");

        await Assert.ThrowsAsync<MalformedEventException>(() => _applier.ApplyAsync(envelope, Ct));
        Assert.Null(await _namespaces.Get("dcB").GetStatusAsync(PartitionPath, Ct));
    }

    private async Task WritePartitionAsync(int bytes) =>
        await _namespaces.Get("dcA").CreateAsync(PartitionPath + "/part-0", (s, c) => s.WriteAsync(new byte[bytes], c).AsTask(), overwrite: false, Ct);

    private sealed class FixedRules(params ReplicationRule[] rules) : IReplicationRuleSource
    {
        public Task<IReadOnlyList<ReplicationRule>> GetRulesAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<ReplicationRule>>(rules);
    }
}
