using Unitization.Namespaces;
using Unitization.Replication.Versions;
using Unitization.StateStore;
using Unitization.TestUtils.StateStore;

namespace Unitization.Replication.Tests.Versions;

/// <summary>The same suite on both providers (PostgreSQL from <c>UNITIZATION_TEST_POSTGRES</c>).</summary>
public sealed class StateStoreReplicaVersionStoreTests : StateStoreSuite
{
    private static readonly DateTimeOffset At = new(2026, 11, 23, 1, 0, 0, TimeSpan.Zero);
    private StateStoreReplicaVersionStore _store = null!;

    private async Task UseAsync(string provider) =>
        _store = new StateStoreReplicaVersionStore(await StoreAsync(provider, StateStoreReplicaVersionStore.Migration));

    [Theory]
    [InlineData(StateProviders.Sqlite)]
    [InlineData(StateProviders.PostgreSql)]
    public async Task RecordAsync_ThenGet_ReturnsTheCommitRecord(string provider)
    {
        await UseAsync(provider);
        await _store.RecordAsync(new ReplicaVersion("dcB", "/warehouse/db/t/dt=1", new TxId(42), At), Ct);

        var version = await _store.GetAsync("dcB", "/warehouse/db/t/dt=1/", Ct);

        Assert.Equal(new ReplicaVersion("dcB", "/warehouse/db/t/dt=1", new TxId(42), At), version);
        Assert.Null(await _store.GetAsync("dcA", "/warehouse/db/t/dt=1", Ct));
    }

    [Theory]
    [InlineData(StateProviders.Sqlite)]
    [InlineData(StateProviders.PostgreSql)]
    public async Task RecordAsync_OlderVersion_DoesNotOverwriteNewer(string provider)
    {
        await UseAsync(provider);
        await _store.RecordAsync(new ReplicaVersion("dcB", "/w/t", new TxId(10), At), Ct);
        await _store.RecordAsync(new ReplicaVersion("dcB", "/w/t", new TxId(7), At.AddMinutes(1)), Ct);
        Assert.Equal(new TxId(10), (await _store.GetAsync("dcB", "/w/t", Ct))!.SourceTxId);

        await _store.RecordAsync(new ReplicaVersion("dcB", "/w/t", new TxId(11), At.AddMinutes(2)), Ct);
        var newer = await _store.GetAsync("dcB", "/w/t", Ct);
        Assert.Equal(new TxId(11), newer!.SourceTxId);
        Assert.Equal(At.AddMinutes(2), newer.CommittedAt);
    }

    [Theory]
    [InlineData(StateProviders.Sqlite)]
    [InlineData(StateProviders.PostgreSql)]
    public async Task ListAsync_Prefix_MatchesWholePathSegmentsOnly(string provider)
    {
        await UseAsync(provider);
        foreach (var path in new[] { "/w/t", "/w/t/p=1", "/w/t/p=2", "/w/tt", "/x" })
        {
            await _store.RecordAsync(new ReplicaVersion("dcB", path, new TxId(1), At), Ct);
        }

        await _store.RecordAsync(new ReplicaVersion("dcC", "/w/t/p=1", new TxId(1), At), Ct);

        var underT = await _store.ListAsync("dcB", "/w/t", Ct);
        var all = await _store.ListAsync("dcB", "/", Ct);

        Assert.Equal(["/w/t", "/w/t/p=1", "/w/t/p=2"], underT.Select(v => v.Path));
        Assert.Equal(5, all.Count);
    }

    [Theory]
    [InlineData(StateProviders.Sqlite)]
    [InlineData(StateProviders.PostgreSql)]
    public async Task RemoveAsync_DeletesOnlyThatReplica(string provider)
    {
        await UseAsync(provider);
        await _store.RecordAsync(new ReplicaVersion("dcB", "/w/t/p=1", new TxId(3), At), Ct);
        await _store.RecordAsync(new ReplicaVersion("dcB", "/w/t/p=2", new TxId(3), At), Ct);

        await _store.RemoveAsync("dcB", "/w/t/p=1", Ct);

        Assert.Null(await _store.GetAsync("dcB", "/w/t/p=1", Ct));
        Assert.NotNull(await _store.GetAsync("dcB", "/w/t/p=2", Ct));
    }

    [Theory]
    [InlineData(StateProviders.Sqlite)]
    [InlineData(StateProviders.PostgreSql)]
    public async Task RecordAsync_RelativePath_IsRefusedWithThePath(string provider)
    {
        await UseAsync(provider);
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            _store.RecordAsync(new ReplicaVersion("dcB", "w/t", new TxId(1), At), Ct));
        Assert.Contains("'w/t'", error.Message, StringComparison.Ordinal);
    }
}
