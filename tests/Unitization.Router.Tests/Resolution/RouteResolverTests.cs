using System.Text;
using Unitization.Router.Resolution;

namespace Unitization.Router.Tests.Resolution;

public sealed class RouteResolverTests
{
    private const string DcBClient = "10.2.0.7";
    private const string DcCClient = "10.3.0.7";

    [Fact]
    public async Task Resolve_FreshReplicaInClientDatacenter_ServedThere()
    {
        var h = new RouterHarness();
        h.Dc("dcA").Write("/warehouse/db1/t/part-0", "v1"u8.ToArray());
        await h.CopyAsync("/warehouse/db1/t/part-0");
        await h.SettleAsync();

        var route = h.Resolver.Resolve("/warehouse/db1/t/part-0", DcBClient, RouteIntent.Read);

        Assert.Equal(RouteReason.FreshReplica, route.Reason);
        Assert.Equal("dcB", route.Datacenter);
        Assert.Equal("/warehouse/db1/t/part-0", route.PhysicalPath);
        Assert.True(route.Fresh);
        Assert.Contains("fresh", route.Explain(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolve_ReplicaLags_ServedFromPrimaryWithTheReason()
    {
        var h = new RouterHarness();
        h.Dc("dcA").Write("/warehouse/db1/t/part-0", "v1"u8.ToArray());
        await h.CopyAsync("/warehouse/db1/t/part-0");
        h.Dc("dcA").Write("/warehouse/db1/t/part-0", "v2"u8.ToArray());
        await h.SettleAsync();

        var route = h.Resolver.Resolve("/warehouse/db1/t/part-0", DcBClient, RouteIntent.Read);

        Assert.Equal(RouteReason.StaleReplica, route.Reason);
        Assert.Equal("dcA", route.Datacenter);
        Assert.True(route.CrossesDatacenters);
        Assert.Contains("stale", route.Explain(), StringComparison.Ordinal);
        Assert.Contains($"< the primary's last txid {h.Dc("dcA").LastTxId}", route.Explain(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolve_EditLogNotYetFollowed_ServedFromPrimary()
    {
        var h = new RouterHarness();
        h.Dc("dcA").Write("/warehouse/t/a", "v1"u8.ToArray());
        await h.CopyAsync("/warehouse/t/a");
        await h.SettleAsync();
        h.Dc("dcA").Write("/warehouse/t/a", "v2"u8.ToArray()); // not yet followed

        var route = h.Resolver.Resolve("/warehouse/t/a", DcBClient, RouteIntent.Read);

        Assert.Equal(RouteReason.VersionsCatchingUp, route.Reason);
        Assert.Equal("dcA", route.Datacenter);
    }

    [Fact]
    public async Task Resolve_OtherPartitionChanged_ReplicaStillFreshForThisOne()
    {
        var h = new RouterHarness();
        h.Dc("dcA").Write("/warehouse/t/p=1/a", "1"u8.ToArray());
        await h.CopyAsync("/warehouse/t/p=1/a");
        h.Dc("dcA").Write("/warehouse/t/p=2/a", "2"u8.ToArray());
        await h.SettleAsync();

        Assert.Equal(RouteReason.FreshReplica, h.Resolver.Resolve("/warehouse/t/p=1/a", DcBClient, RouteIntent.Read).Reason);
        Assert.Equal(RouteReason.NoReplicaVersion, h.Resolver.Resolve("/warehouse/t/p=2/a", DcBClient, RouteIntent.Read).Reason);
    }

    [Fact]
    public void Resolve_ClientInPrimaryOrWithoutCopy_ServedFromPrimary()
    {
        var h = new RouterHarness();
        h.CatchUp();
        Assert.Equal(RouteReason.PrimaryInClientDatacenter, h.Resolver.Resolve("/warehouse/x", "10.1.0.1", RouteIntent.Read).Reason);
        var fromC = h.Resolver.Resolve("/warehouse/x", DcCClient, RouteIntent.Read);
        Assert.Equal(RouteReason.NoCopyInClientDatacenter, fromC.Reason);
        Assert.Equal("dcA", fromC.Datacenter);
        var unknown = h.Resolver.Resolve("/warehouse/x", "192.168.9.9", RouteIntent.Read);
        Assert.False(unknown.ClientKnown);
        Assert.Equal("dcA", unknown.ClientDatacenter);
        Assert.Equal(1, h.Networks.UnknownCount);
    }

    [Fact]
    public async Task Resolve_Write_AlwaysThePrimary()
    {
        var h = new RouterHarness();
        h.Dc("dcA").Write("/warehouse/t/a", "v1"u8.ToArray());
        await h.CopyAsync("/warehouse/t/a");
        await h.SettleAsync();

        var route = h.Resolver.Resolve("/warehouse/t/a", DcBClient, RouteIntent.Write);

        Assert.Equal(RouteReason.WriteToPrimary, route.Reason);
        Assert.Equal("dcA", route.Datacenter);
    }

    [Fact]
    public void Resolve_ReadOnlyMount_ReadsNearestCopyAndRefusesWrites()
    {
        var h = new RouterHarness();
        Assert.Equal(RouteReason.WriteRefused, h.Resolver.Resolve("/archive/2020/x", DcBClient, RouteIntent.Write).Reason);
        Assert.Null(h.Resolver.Resolve("/archive/2020/x", DcBClient, RouteIntent.Write).Datacenter);
        Assert.Equal("dcC", h.Resolver.Resolve("/archive/2020/x", DcCClient, RouteIntent.Read).Datacenter);
        var fromA = h.Resolver.Resolve("/archive/2020/x", "10.1.0.1", RouteIntent.Read);
        Assert.Equal(RouteReason.ReadOnlyMountElsewhere, fromA.Reason);
        Assert.Equal("dcB", fromA.Datacenter);
    }

    [Fact]
    public void Resolve_FollowMount_TheCallersOwnDatacenter()
    {
        var h = new RouterHarness();
        var read = h.Resolver.Resolve("/tmp/job-1/x", DcBClient, RouteIntent.Read);
        var write = h.Resolver.Resolve("/tmp/job-1/x", DcCClient, RouteIntent.Write);
        Assert.Equal(("dcB", RouteReason.FollowMount), (read.Datacenter, read.Reason));
        Assert.Equal(("dcC", "/tmp/job-1/x"), (write.Datacenter, write.PhysicalPath));
    }

    [Fact]
    public void Resolve_NoMount_SaysSo()
    {
        var h = new RouterHarness();
        var route = h.Resolver.Resolve("/elsewhere/x", DcBClient, RouteIntent.Read);
        Assert.Equal(RouteReason.NoMount, route.Reason);
        Assert.Null(route.Datacenter);
    }

    [Fact]
    public async Task IsDatasetFreshAsync_MapsHiveDatasetsToWarehousePaths()
    {
        var h = new RouterHarness();
        h.Dc("dcA").Write("/warehouse/sales/orders/part-0", Encoding.UTF8.GetBytes("x"));
        await h.CopyAsync("/warehouse/sales/orders/part-0");
        await h.SettleAsync();

        Assert.True(await h.Freshness.IsDatasetFreshAsync("hive://metastore:9083", "sales.orders", "dcA", CancellationToken.None));
        Assert.False(await h.Freshness.IsDatasetFreshAsync("hive://metastore:9083", "sales.orders", "dcB", CancellationToken.None)); // version is per file, the table dir has none
        Assert.False(await h.Freshness.IsDatasetFreshAsync("hive://metastore:9083", "sales.orders", "dcC", CancellationToken.None));
        Assert.False(await h.Freshness.IsDatasetFreshAsync("kafka://broker", "sales.orders", "dcA", CancellationToken.None));

        await h.ReplicaStore.RecordAsync(new Replication.Versions.ReplicaVersion("dcB", "/warehouse/sales/orders", h.Dc("dcA").LastTxId, h.Time.GetUtcNow()), CancellationToken.None);
        await h.RefreshAsync();
        Assert.True(await h.Freshness.IsDatasetFreshAsync("hive://metastore:9083", "sales.orders", "dcB", CancellationToken.None));
    }
}
