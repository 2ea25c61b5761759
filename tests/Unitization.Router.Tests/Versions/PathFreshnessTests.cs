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
}
