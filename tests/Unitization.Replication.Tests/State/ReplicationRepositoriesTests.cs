using Microsoft.Extensions.Time.Testing;
using Unitization.Replication.Events;
using Unitization.Replication.Lifecycle;
using Unitization.Replication.Metastore;
using Unitization.Replication.Pump;
using Unitization.Replication.State;
using Unitization.StateStore;
using Unitization.TestUtils.StateStore;

namespace Unitization.Replication.Tests.State;

/// <summary>Replication's repositories over both providers: what each dialect could get wrong (upserts, identity, 64-bit ids).</summary>
public sealed class ReplicationRepositoriesTests : StateStoreSuite
{
    private static readonly DateTimeOffset At = new(2026, 11, 23, 1, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(At);
    private IStateDatabase _database = null!;

    [Theory]
    [InlineData(StateProviders.Sqlite)]
    [InlineData(StateProviders.PostgreSql)]
    public async Task PumpCheckpoint_SetTwice_KeepsTheLastAbove32Bits(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await UseAsync(provider);
        var checkpoints = new PumpCheckpointStore(_database, _time);
        Assert.Equal(0, await checkpoints.GetAsync("hms-a", ct));

        await checkpoints.SetAsync("hms-a", 7, null, ct);
        await checkpoints.SetAsync("hms-a", 5_000_000_001, null, ct);

        Assert.Equal(5_000_000_001, await checkpoints.GetAsync("hms-a", ct));
        Assert.Equal(0, await checkpoints.GetAsync("hms-b", ct));
    }

    [Theory]
    [InlineData(StateProviders.Sqlite)]
    [InlineData(StateProviders.PostgreSql)]
    public async Task AcidWriteBuffer_HeldThenEnded_LoadsInOrderThenForgets(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await UseAsync(provider);
        var buffer = new AcidWriteBuffer(_database, _time);
        var first = Write(11);
        var second = Write(12);

        await buffer.CommitBatchAsync("hms-a", [(900, second), (900, first)], [], 12, null, ct);
        await buffer.CommitBatchAsync("hms-a", [(900, first)], [], 13, null, ct); // a re-read batch stores nothing twice

        Assert.Equal([11L, 12L], (await buffer.LoadAsync("hms-a", 900, ct)).Select(w => w.EventId));
        Assert.Equal(2, await buffer.CountAsync("hms-a", ct));
        Assert.Equal(13, await new PumpCheckpointStore(_database, _time).GetAsync("hms-a", ct));

        await buffer.CommitBatchAsync("hms-a", [], [900], 14, null, ct);
        Assert.Equal(0, await buffer.CountAsync("hms-a", ct));
    }

    [Theory]
    [InlineData(StateProviders.Sqlite)]
    [InlineData(StateProviders.PostgreSql)]
    public async Task PartitionLocations_RecordMoveForget_FindsTheLatest(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await UseAsync(provider);
        var locations = new PartitionLocations(_database);

        await locations.RecordAsync("Sales", "Orders", "dt=1", "/warehouse/sales/orders/dt=1", ct);
        await locations.RecordAsync("sales", "orders", "dt=1", "/elsewhere/dt=1", ct);

        Assert.Equal("/elsewhere/dt=1", await locations.FindAsync("SALES", "orders", "dt=1", ct));
        await locations.ForgetAsync("sales", "orders", "dt=1", ct);
        Assert.Null(await locations.FindAsync("sales", "orders", "dt=1", ct));
    }

    [Theory]
    [InlineData(StateProviders.Sqlite)]
    [InlineData(StateProviders.PostgreSql)]
    public async Task ReplicaRegistry_TrackExpireRetire_ListsByStateAndKeepsHistoryNewestFirst(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await UseAsync(provider);
        var registry = new ReplicaRegistry(_database);
        await registry.TrackAsync("dcB", "/w/t/p=1", "Sales.Orders", At, At, ct);
        await registry.TrackAsync("dcB", "/w/t/p=2", "sales.orders", At, At, ct);
        await registry.TrackAsync("dcB", "/w/tt", "sales.other", At, At, ct);
        await registry.TrackAsync("dcB", "/w/t/p=1", "sales.orders", null, At.AddHours(1), ct); // found fresh: keeps its commit time

        await registry.MarkExpiringAsync("dcB", "/w/tt", At.AddHours(2), ct);
        await registry.MarkRetiredAsync("dcB", "/w/t", At.AddHours(3), "left the rules", ct);
        await registry.AppendHistoryAsync("retire", "dcB", "/w/t", "left the rules", At.AddHours(3), ct);
        await registry.AppendHistoryAsync("expire", "dcB", "/w/tt", "left the rules", At.AddHours(4), ct);

        var all = await registry.ListAsync(null, null, ct);
        Assert.Equal(["/w/t/p=1", "/w/t/p=2", "/w/tt"], all.Select(r => r.Path));
        Assert.Equal(At, all[0].CommittedAt);
        Assert.Equal("sales.orders", all[0].Dataset);
        Assert.Equal(["/w/t/p=1", "/w/t/p=2"], (await registry.ListAsync("dcB", ReplicaState.Retired, ct)).Select(r => r.Path));
        var expiring = Assert.Single(await registry.ListAsync("dcB", ReplicaState.Expiring, ct));
        Assert.Equal(At.AddHours(2), expiring.UnruledSince);
        Assert.Empty(await registry.ListAsync("dcA", null, ct));
        Assert.Equal(["expire", "retire"], (await registry.HistoryAsync(10, ct)).Select(e => e.Action));
    }

    private static HmsEventEnvelope Write(long eventId) =>
        new(eventId, 1_700_000_000, "INSERT", "sales", "orders", "{}", "json-0.2");

    private async Task UseAsync(string provider) =>
        _database = await StoreAsync(provider, ReplicationSchema.Migration, ReplicationSchema.Lifecycle, ReplicationSchema.Metastore);
}
