using Microsoft.Extensions.Logging.Abstractions;
using Unitization.Namespaces;
using Unitization.Replication.Versions;
using Unitization.StateStore;
using Unitization.TestUtils;

namespace Unitization.Replication.Tests.Versions;

public sealed class SqliteReplicaVersionStoreTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 11, 23, 1, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _temp = new();
    private readonly SqliteReplicaVersionStore _store;

    public SqliteReplicaVersionStoreTests()
    {
        var database = new SqliteStateDatabase(_temp.Combine("state.db"), [SqliteReplicaVersionStore.Migration], NullLogger<SqliteStateDatabase>.Instance);
        _store = new SqliteReplicaVersionStore(database);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task RecordAsync_ThenGet_ReturnsTheCommitRecord()
    {
        await _store.RecordAsync(new ReplicaVersion("dcB", "/warehouse/db/t/dt=1", new TxId(42), At), TestContext.Current.CancellationToken);

        var version = await _store.GetAsync("dcB", "/warehouse/db/t/dt=1/", TestContext.Current.CancellationToken);

        Assert.Equal(new ReplicaVersion("dcB", "/warehouse/db/t/dt=1", new TxId(42), At), version);
        Assert.Null(await _store.GetAsync("dcA", "/warehouse/db/t/dt=1", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task RecordAsync_OlderVersion_DoesNotOverwriteNewer()
    {
        var ct = TestContext.Current.CancellationToken;
        await _store.RecordAsync(new ReplicaVersion("dcB", "/w/t", new TxId(10), At), ct);
        await _store.RecordAsync(new ReplicaVersion("dcB", "/w/t", new TxId(7), At.AddMinutes(1)), ct);
        Assert.Equal(new TxId(10), (await _store.GetAsync("dcB", "/w/t", ct))!.SourceTxId);

        await _store.RecordAsync(new ReplicaVersion("dcB", "/w/t", new TxId(11), At.AddMinutes(2)), ct);
        var newer = await _store.GetAsync("dcB", "/w/t", ct);
        Assert.Equal(new TxId(11), newer!.SourceTxId);
        Assert.Equal(At.AddMinutes(2), newer.CommittedAt);
    }

    [Fact]
    public async Task ListAsync_Prefix_MatchesWholePathSegmentsOnly()
    {
        var ct = TestContext.Current.CancellationToken;
        foreach (var path in new[] { "/w/t", "/w/t/p=1", "/w/t/p=2", "/w/tt", "/x" })
        {
            await _store.RecordAsync(new ReplicaVersion("dcB", path, new TxId(1), At), ct);
        }

        await _store.RecordAsync(new ReplicaVersion("dcC", "/w/t/p=1", new TxId(1), At), ct);

        var underT = await _store.ListAsync("dcB", "/w/t", ct);
        var all = await _store.ListAsync("dcB", "/", ct);

        Assert.Equal(["/w/t", "/w/t/p=1", "/w/t/p=2"], underT.Select(v => v.Path));
        Assert.Equal(5, all.Count);
    }

    [Fact]
    public async Task RemoveAsync_DeletesOnlyThatReplica()
    {
        var ct = TestContext.Current.CancellationToken;
        await _store.RecordAsync(new ReplicaVersion("dcB", "/w/t/p=1", new TxId(3), At), ct);
        await _store.RecordAsync(new ReplicaVersion("dcB", "/w/t/p=2", new TxId(3), At), ct);

        await _store.RemoveAsync("dcB", "/w/t/p=1", ct);

        Assert.Null(await _store.GetAsync("dcB", "/w/t/p=1", ct));
        Assert.NotNull(await _store.GetAsync("dcB", "/w/t/p=2", ct));
    }

    [Fact]
    public async Task RecordAsync_RelativePath_IsRefusedWithThePath()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            _store.RecordAsync(new ReplicaVersion("dcB", "w/t", new TxId(1), At), TestContext.Current.CancellationToken));
        Assert.Contains("'w/t'", error.Message, StringComparison.Ordinal);
    }
}
