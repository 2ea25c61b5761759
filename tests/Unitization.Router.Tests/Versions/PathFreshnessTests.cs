using Unitization.Router.Versions;

namespace Unitization.Router.Tests.Versions;

public sealed class PathFreshnessTests
{
    private const string Table = "/warehouse/sales/orders";

    [Fact]
    public async Task IsDatasetPartitionFreshAsync_PartitionCopied_FreshWhileTheTableAsAWholeHasNoVersion()
    {
        var h = new RouterHarness();
        h.Dc("dcA").Write($"{Table}/dt=2026-12-05/part-0", [1, 2, 3]);
        h.Dc("dcA").Write($"{Table}/dt=2026-12-04/part-0", [4]);
        await CopyPartitionAsync(h, $"{Table}/dt=2026-12-05"); // each partition's commit record sits below the table path
        await h.SettleAsync();
        var ct = TestContext.Current.CancellationToken;

        Assert.True(await h.Freshness.IsDatasetPartitionFreshAsync("hive://metastore", "sales.orders", "dt=2026-12-05", "dcB", ct));
        Assert.False(await h.Freshness.IsDatasetPartitionFreshAsync("hive://metastore", "sales.orders", "dt=2026-12-04", "dcB", ct)); // not copied
        Assert.False(await h.Freshness.IsDatasetPartitionFreshAsync("hive://metastore", "sales.orders", "dt=2026-12-06", "dcB", ct)); // not written yet
        Assert.True(await h.Freshness.IsDatasetPartitionFreshAsync("hive://metastore", "sales.orders", "dt=2026-12-04", "dcA", ct)); // the primary
        Assert.False(await h.Freshness.IsDatasetFreshAsync("hive://metastore", "sales.orders", "dcB", ct));

        h.Dc("dcA").Write($"{Table}/dt=2026-12-05/part-1", [5]);
        await h.SettleAsync();
        Assert.False(await h.Freshness.IsDatasetPartitionFreshAsync("hive://metastore", "sales.orders", "dt=2026-12-05", "dcB", ct)); // the primary moved on
    }

    // the replicator's copy of an added partition: the primary's txid before the copy, recorded at the partition's folder
    private static async Task CopyPartitionAsync(RouterHarness h, string partition)
    {
        var version = h.Dc("dcA").LastTxId;
        h.Dc("dcB").Write(partition + "/part-0", h.Dc("dcA").Read(partition + "/part-0")!);
        await h.ReplicaStore.RecordAsync(new Replication.Versions.ReplicaVersion("dcB", partition, version, h.Time.GetUtcNow()), CancellationToken.None);
    }

    [Fact]
    public async Task IsDatasetPartitionFreshAsync_TableNotPartitionedByTheKey_NullSoTheWholeTableAnswers()
    {
        var h = new RouterHarness();
        h.Dc("dcA").Write("/warehouse/sales/customers/part-0", [1]);
        await h.SettleAsync();

        Assert.Null(await h.Freshness.IsDatasetPartitionFreshAsync("hive://metastore", "sales.customers", "dt=2026-12-05", "dcB", TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("/warehouse/{database}/{table}", "/warehouse/sales/orders", "sales.orders")]
    [InlineData("/warehouse/{database}/{table}", "/warehouse/sales/orders/dt=2026-12-05/part-0", "sales.orders")]
    [InlineData("/user/hive/warehouse/{database}.db/{table}", "/user/hive/warehouse/sales.db/orders/part-0", "sales.orders")]
    [InlineData("/warehouse/{database}/{table}", "/warehouse/sales", null)]
    [InlineData("/warehouse/{database}/{table}", "/tmp/sales/orders", null)]
    public void NameAt_PathUnderATemplate_TheDatasetReadBack(string template, string path, string? expected) =>
        Assert.Equal(expected, new DatasetPathOptions { NamespacePrefix = "hive://", Template = template }.NameAt(path));

    [Fact]
    public async Task TableAtAsync_MetastoreLocationFirst_ThenTheTemplate()
    {
        var locations = new Locations();
        await locations.RecordAsync("sales", "orders", "/data/custom/orders_v2", CancellationToken.None);
        var h = new RouterHarness();
        var freshness = new PathFreshness(h.Registry, h.Versions, Microsoft.Extensions.Options.Options.Create(h.Options), locations);
        var ct = TestContext.Current.CancellationToken;

        Assert.Equal("sales.orders", await freshness.TableAtAsync("/data/custom/orders_v2/dt=1/part-0", ct));
        Assert.Equal("web.clicks", await freshness.TableAtAsync("/warehouse/web/clicks", ct));
        Assert.Equal("/data/custom/orders_v2", await freshness.DatasetPathAsync("hive://metastore", "sales.orders", ct));
        Assert.Equal("/warehouse/web/clicks", await freshness.DatasetPathAsync("hive://metastore", "web.clicks", ct));
    }

    private sealed class Locations : Replication.Locations.ITableLocationStore
    {
        private readonly Dictionary<string, string> _paths = new(StringComparer.Ordinal);

        public Task RecordAsync(string db, string table, string path, CancellationToken cancellationToken)
        {
            _paths[$"{db}.{table}"] = path;
            return Task.CompletedTask;
        }

        public Task<string?> GetAsync(string db, string table, CancellationToken cancellationToken) => Task.FromResult(_paths.GetValueOrDefault($"{db}.{table}"));

        public Task<string?> TableAtAsync(string path, CancellationToken cancellationToken) =>
            Task.FromResult(_paths.Where(p => path == p.Value || path.StartsWith(p.Value + "/", StringComparison.Ordinal)).Select(p => p.Key).FirstOrDefault());
    }
}
