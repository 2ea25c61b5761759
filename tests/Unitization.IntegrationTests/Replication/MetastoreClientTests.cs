using Microsoft.Extensions.Options;
using Thrift;
using Unitization.Namespaces.Configuration;
using Unitization.Replication;
using Unitization.Replication.Metastore;
using Unitization.Replication.Metastore.Thrift;
using Unitization.Replication.Pump;
using Unitization.SampleHms;

namespace Unitization.IntegrationTests.Replication;

/// <summary>The replicator's metastore client against the sample HMS over loopback Thrift, as Hive 3, Hive 4 and older servers answer.</summary>
public sealed class MetastoreClientTests
{
    [Fact]
    public async Task SampleHms_Hive4_ServesWhatClientsCallAndAnswersGetTableWithUnknownMethod()
    {
        var ct = TestContext.Current.CancellationToken;
        var (catalog, server) = await StartAsync(SampleHmsVersion.Hive4, ct);
        await using var _ = server;
        await using var client = new MetastoreClient(MetastoreEndpoint.Parse(server.Uri), TimeSpan.FromSeconds(5));

        Assert.Equal("4.0.1", await client.GetVersionAsync(ct));
        var table = await client.GetTableAsync("sales", "orders", ct);
        Assert.Equal("hdfs://dcA/warehouse/sales/orders", table.Sd!.Location);
        Assert.False(client.UsesLegacyGetTable);
        Assert.Equal(["dt=2026-01-01", "dt=2026-01-02"], await client.GetPartitionNamesAsync("sales", "orders", ct));

        using var raw = await RawClientAsync(server, ct);
        Assert.Equal(["default", "sales"], await raw.get_all_databases(ct));
        Assert.Equal(["sales"], await raw.get_databases("sa*|nothing", ct));
        Assert.Equal("hive", (await raw.get_database("sales", ct)).CatalogName);
        Assert.Equal(["orders", "other"], await raw.get_all_tables("sales", ct));
        Assert.Single(await raw.get_partitions_by_names("sales", "orders", ["dt=2026-01-02", "dt=1999-01-01"], ct));
        var unknown = await Assert.ThrowsAsync<TApplicationException>(() => raw.get_table("sales", "orders", ct));
        Assert.Equal(TApplicationException.ExceptionType.UnknownMethod, unknown.Type);
        Assert.Contains("get_table", unknown.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<NoSuchObjectException>(() => raw.get_database("nowhere", ct));
        GC.KeepAlive(catalog);
    }

    [Fact]
    public async Task GetTable_ServerWithoutGetTableReq_FallsBackToGetTableAndRemembersIt()
    {
        var ct = TestContext.Current.CancellationToken;
        var (_, server) = await StartAsync(SampleHmsVersion.Hive3, ct, withoutMethods: ["get_table_req"]);
        await using var _server = server;
        await using var client = new MetastoreClient(MetastoreEndpoint.Parse(server.Uri), TimeSpan.FromSeconds(5));

        Assert.Equal("orders", (await client.GetTableAsync("sales", "orders", ct)).TableName);
        Assert.True(client.UsesLegacyGetTable);
        Assert.Equal("other", (await client.GetTableAsync("sales", "other", ct)).TableName);
    }

    [Fact]
    public async Task GetTable_ServerWithNeither_ThrowsCapabilityErrorAndStatusShowsIt()
    {
        var ct = TestContext.Current.CancellationToken;
        var (_, server) = await StartAsync(SampleHmsVersion.Hive4, ct, withoutMethods: ["get_table_req"]);
        await using var _server = server;
        var health = new ReplicationHealth();
        await using var connection = new MetastoreConnection(
            Options.Create(new ReplicationOptions { MetastoreUri = server.Uri }), Options.Create(new TopologyOptions()), health, TimeProvider.System);

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var ex = await Assert.ThrowsAsync<MetastoreCapabilityException>(() => connection.GetTableAsync("sales", "orders", ct));
            Assert.Contains("get_table_req and get_table", ex.Message, StringComparison.Ordinal);
            Assert.False(EventPump.IsMetastoreFailure(ex)); // not retried as a transient failure
        }

        Assert.Equal(3, health.MetastoreCallFailures);
        Assert.StartsWith("get_table_req: ", health.MetastoreCallError, StringComparison.Ordinal);
        Assert.Contains("thrift://127.0.0.1", health.MetastoreCallError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connection_FirstUriDown_FailsOverToTheNext()
    {
        var ct = TestContext.Current.CancellationToken;
        var (_, server) = await StartAsync(SampleHmsVersion.Hive4, ct);
        await using var _server = server;
        var dead = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        dead.Start();
        var deadPort = ((System.Net.IPEndPoint)dead.LocalEndpoint).Port;
        dead.Stop(); // nothing listens there now
        var health = new ReplicationHealth();
        await using var connection = new MetastoreConnection(
            Options.Create(new ReplicationOptions { MetastoreUri = $"thrift://127.0.0.1:{deadPort}, {server.Uri}", MetastoreTimeout = TimeSpan.FromSeconds(2) }),
            Options.Create(new TopologyOptions()), health, TimeProvider.System);

        await Assert.ThrowsAnyAsync<Exception>(() => connection.GetTableAsync("sales", "orders", ct));
        Assert.Equal(1, health.MetastoreCallFailures);
        Assert.Equal("orders", (await connection.GetTableAsync("sales", "orders", ct)).TableName);
        Assert.Equal(0, health.MetastoreCallFailures);
    }

    [Fact]
    public async Task NextNotification_Filters_AsHiveObjectStoreApplies()
    {
        var ct = TestContext.Current.CancellationToken;
        var (catalog, server) = await StartAsync(SampleHmsVersion.Hive4, ct);
        await using var _server = server;
        var txn = catalog.OpenTransaction();
        catalog.EndTransaction(txn, commit: true);
        await using var client = new MetastoreClient(MetastoreEndpoint.Parse(server.Uri), TimeSpan.FromSeconds(5));

        var onlyOther = await client.GetNextEventsAsync(new NotificationEventRequest(0) { DbName = "SALES", TableNames = ["Other"] }, ct);
        Assert.Equal(["CREATE_TABLE"], onlyOther.Select(e => e.EventType));
        var skipped = await client.GetNextEventsAsync(new NotificationEventRequest(0) { EventTypeSkipList = ["ADD_PARTITION", "CREATE_TABLE"] }, ct);
        Assert.Equal(["OPEN_TXN", "COMMIT_TXN"], skipped.Select(e => e.EventType));
        Assert.Empty(await client.GetNextEventsAsync(new NotificationEventRequest(0) { CatName = "spark" }, ct));
        var all = await client.GetNextEventsAsync(new NotificationEventRequest(0) { MaxEvents = 100 }, ct);
        Assert.All(all, e => Assert.Equal(HiveMessageFormat.GzipJson, e.MessageFormat));
        Assert.Contains("\"txnid\":" + txn, HiveMessageFormat.Decode(all[^1].MessageFormat, all[^1].Message), StringComparison.Ordinal);
    }

    private static async Task<(SampleCatalog Catalog, ThriftMetastoreServer Server)> StartAsync(
        SampleHmsVersion version, CancellationToken cancellationToken, IReadOnlyCollection<string>? withoutMethods = null)
    {
        var catalog = new SampleCatalog(TimeProvider.System);
        await catalog.CreateTableAsync("sales", "orders", "hdfs://dcA/warehouse/sales/orders", ["dt"], cancellationToken);
        await catalog.CreateTableAsync("sales", "other", "hdfs://dcA/warehouse/sales/other", [], cancellationToken);
        await catalog.AddPartitionAsync("sales", "orders", ["2026-01-02"], cancellationToken);
        await catalog.AddPartitionAsync("sales", "orders", ["2026-01-01"], cancellationToken);
        var server = new ThriftMetastoreServer(catalog, version: version, withoutMethods: withoutMethods);
        server.Start();
        return (catalog, server);
    }

    private static async Task<ThriftHiveMetastore.Client> RawClientAsync(ThriftMetastoreServer server, CancellationToken cancellationToken)
    {
        var transport = new Thrift.Transport.TBufferedTransport(new Thrift.Transport.Client.TSocketTransport("127.0.0.1", server.Port, new TConfiguration(), 5000));
        var client = new ThriftHiveMetastore.Client(new Thrift.Protocol.TBinaryProtocol(transport));
        await client.OpenTransportAsync(cancellationToken);
        return client;
    }
}
