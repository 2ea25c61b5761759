using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Unitization.StateStore.Leadership;
using Unitization.TestUtils.Servers;
using Unitization.TestUtils.StateStore;

namespace Unitization.StateStore.Tests.Leadership;

/// <summary>Two electors over one real PostgreSQL, as two processes of a fleet (and the one-process SQLite case).</summary>
public sealed class LeaderElectorTests
{
    private const string Lease = "pump:hms";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task TryAcquireAsync_HeldByAnother_NullUntilItDiesThenTakenOverWithAHigherEpoch()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fleet = await FleetPair<LeaderElector>.StartAsync((store, _) => Elector(store), ct);
        var (first, second) = (fleet.First, fleet.Second);

        var leader = (await first.TryAcquireAsync(Lease, ct))!;
        Assert.True(leader.IsHeld);
        Assert.Null(await second.TryAcquireAsync(Lease, ct));

        // the leader dies: it stops renewing and never gives the lease up
        await leader.AbandonAsync();
        var waiting = second.AcquireAsync(Lease, ct);
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(waiting.IsCompleted), Deadline, ct), "the standby never took over");
        await using var successor = await waiting;

        Assert.True(successor.IsHeld);
        Assert.True(successor.Epoch > leader.Epoch);
        Assert.False(leader.IsHeld);
    }

    [Fact]
    public async Task DisposeAsync_Leader_GivesTheLeaseUpAtOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fleet = await FleetPair<LeaderElector>.StartAsync((store, _) => Elector(store, slow: true), ct);
        var (first, second) = (fleet.First, fleet.Second);

        var leader = (await first.TryAcquireAsync(Lease, ct))!;
        await leader.DisposeAsync();

        // a ten-minute lease, given up: the next one does not wait it out
        await using var successor = await second.TryAcquireAsync(Lease, ct);
        Assert.NotNull(successor);
        Assert.Equal(leader.Epoch + 1, successor.Epoch);
    }

    [Fact]
    public async Task FenceAsync_StaleLeaderAfterTakeover_RefusesItsWrite()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fleet = await FleetPair<LeaderElector>.StartAsync((store, _) => Elector(store, slow: true), ct);
        var (first, second) = (fleet.First, fleet.Second);
        var database = fleet.Store.OpenAnother([LeadershipSchema.Leases, new StateMigration("test", 1, "published", "CREATE TABLE published (id BIGINT PRIMARY KEY, epoch BIGINT NOT NULL);")]);
        var stale = (await first.TryAcquireAsync(Lease, ct))!;

        // the leader is paused (a long GC, a frozen VM) past its lease by the database's clock; another takes over
        await using (var connection = await database.OpenAsync(ct))
        await using (var expire = StateSql.Command(connection, "UPDATE leader_leases SET expires_ms = 0"))
        {
            await expire.ExecuteNonQueryAsync(ct);
        }

        await using var successor = (await second.TryAcquireAsync(Lease, ct))!;
        Assert.True(stale.IsHeld); // by its own clock it still leads: only the fence can stop it

        await Assert.ThrowsAsync<LeadershipLostException>(() => PublishAsync(database, stale, 1, ct));
        await PublishAsync(database, successor, 2, ct);

        await using var check = await database.OpenAsync(ct);
        await using var rows = StateSql.Command(check, "SELECT id FROM published");
        Assert.Equal(2L, Convert.ToInt64(await rows.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture));
        Assert.False(stale.IsHeld);
    }

    [Fact]
    public async Task TryAcquireAsync_Sqlite_TakesTheLeaseAtOnceAsTheOnlyProcess()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await TestStateStore.CreateAsync(StateProviders.Sqlite, ct);
        var previousLife = (await Elector(store, slow: true).TryAcquireAsync(Lease, ct))!;
        await previousLife.AbandonAsync();

        // a restarted process does not wait out the lease its previous life left behind
        await using var lease = await Elector(store, slow: true).TryAcquireAsync(Lease, ct);

        Assert.NotNull(lease);
        Assert.True(lease.Epoch > previousLife.Epoch);
    }

    private static async Task PublishAsync(IStateDatabase database, LeaderLease lease, long id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await lease.FenceAsync(connection, transaction, ct);
        await using var insert = StateSql.Command(connection, "INSERT INTO published (id, epoch) VALUES (@id, @epoch)", transaction);
        insert.Add("@id", id);
        insert.Add("@epoch", lease.Epoch);
        await insert.ExecuteNonQueryAsync(ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>A short lease renewed often, or (<paramref name="slow"/>) a ten-minute one that renews every five.</summary>
    private static LeaderElector Elector(TestStateStore store, bool slow = false)
    {
        var options = new StateStoreOptions
        {
            LeaderLeaseDuration = slow ? TimeSpan.FromMinutes(10) : TimeSpan.FromSeconds(2),
            LeaderRenewInterval = slow ? TimeSpan.FromMinutes(5) : TimeSpan.FromMilliseconds(400),
        };
        return new LeaderElector(store.OpenAnother([LeadershipSchema.Leases]), Options.Create(options), TimeProvider.System, NullLogger<LeaderElector>.Instance);
    }
}
