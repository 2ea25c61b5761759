using Unitization.Namespaces;
using Unitization.Router.Mounts;
using Unitization.Router.Versions;
using Unitization.StateStore;
using Unitization.TestUtils.StateStore;

namespace Unitization.Router.Tests;

/// <summary>The router's repositories over both providers (PostgreSQL from <c>UNITIZATION_TEST_POSTGRES</c>).</summary>
public sealed class StateStoreRepositoriesTests : StateStoreSuite
{
    private static readonly DateTimeOffset At = new(2026, 11, 23, 1, 0, 0, TimeSpan.Zero);
    private IStateDatabase _database = null!;

    [Theory]
    [InlineData(StateProviders.Sqlite)]
    [InlineData(StateProviders.PostgreSql)]
    public async Task MountStore_PutReplaceDelete_ListsTheLatestByPath(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await UseAsync(provider);
        var mounts = new StateStoreMountStore(_database);

        await mounts.PutAsync(new MountOptions { Path = "/b", Destinations = ["dcA:/b"] }, At, ct);
        await mounts.PutAsync(new MountOptions { Path = "/a", Destinations = ["dcA:/a"] }, At, ct);
        await mounts.PutAsync(new MountOptions { Path = "/b", Destinations = ["dcB:/b2"] }, At.AddMinutes(1), ct);

        var listed = await mounts.ListAsync(ct);
        Assert.Equal(["/a", "/b"], listed.Select(m => m.Path));
        Assert.Equal(["dcB:/b2"], listed[1].Destinations);
        Assert.True(await mounts.DeleteAsync("/a", ct));
        Assert.False(await mounts.DeleteAsync("/a", ct));
        Assert.Single(await mounts.ListAsync(ct));
    }

    [Theory]
    [InlineData(StateProviders.Sqlite)]
    [InlineData(StateProviders.PostgreSql)]
    public async Task VersionCheckpointStore_SaveTwice_LoadsTheLastWhole(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await UseAsync(provider);
        var checkpoints = new StateStoreVersionCheckpointStore(_database);
        Assert.Null(await checkpoints.LoadAsync("dcA", ct));

        await checkpoints.SaveAsync(Checkpoint(10, "/w/t", 9), ct);
        await checkpoints.SaveAsync(Checkpoint(6_000_000_000, "/w/u", 5_999_999_999), ct);

        var loaded = await checkpoints.LoadAsync("dcA", ct);
        Assert.Equal(new TxId(6_000_000_000), loaded!.Position);
        Assert.Equal(5_999_999_999, loaded.Subtree["/w/u"]);
        Assert.False(loaded.Subtree.ContainsKey("/w/t"));
        Assert.Equal(At, loaded.SavedAt);
    }

    private static VersionCheckpoint Checkpoint(long position, string path, long txid) =>
        new("dcA", new TxId(position), "fp", new Dictionary<string, long> { [path] = txid }, new Dictionary<string, long> { ["/gone"] = 1 }, At);

    private async Task UseAsync(string provider) =>
        _database = await StoreAsync(provider, StateStoreMountStore.Migration, StateStoreVersionCheckpointStore.Migration);
}
