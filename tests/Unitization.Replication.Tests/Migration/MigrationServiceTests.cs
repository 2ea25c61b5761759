using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Unitization.Namespaces;
using Unitization.Namespaces.Configuration;
using Unitization.Replication.Copy;
using Unitization.Replication.Migration;
using Unitization.Replication.State;
using Unitization.StateStore;
using Unitization.StateStore.Changes;
using Unitization.TestUtils;
using Unitization.TestUtils.Namespaces;
using Unitization.TestUtils.Replication;
using Unitization.TestUtils.Servers;
using Unitization.TestUtils.StateStore;
using Unitization.Throttle.Budget;

namespace Unitization.Replication.Tests.Migration;

/// <summary>
/// API migrations over a real state store (SQLite): issue 16 case 9, "API migrations are gone after a restart
/// (GET /api/v1/migrations is [])". A job stopped with its host is listed by the next host and resumes from its checkpoint.
/// </summary>
public sealed class MigrationServiceTests : IDisposable
{
    private const string Table = "/warehouse/sales.db/orders";
    private const int FileBytes = 300_000;
    private const int Files = 6;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly StateMigration[] Schema = [ReplicationSchema.Migration, ReplicationSchema.MigrationOwners];
    private readonly TempDirectory _temp = new();
    private readonly InMemoryNamespace _dcA;
    private readonly InMemoryNamespace _dcB;
    private readonly InMemoryReplicaVersionStore _versions = new();

    public MigrationServiceTests()
    {
        _dcA = new InMemoryNamespace("dcA");
        _dcB = new InMemoryNamespace("dcB");
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task StartAsync_AfterAHostRestart_ListsTheJobAndResumesItFromItsCheckpoint()
    {
        var ct = TestContext.Current.CancellationToken;
        for (var i = 0; i < Files; i++)
        {
            await _dcA.WriteAsync($"{Table}/dt=1/part-{i}", FileBytes, i, ct);
        }

        // the first host copies two files, then its link stalls and the host stops
        var stalled = new StallingBudget(2 * FileBytes);
        using var firstLifetime = new Lifetime();
        using var first = Service(stalled, firstLifetime);
        await first.StartAsync(ct);
        var started = await first.StartAsync(new MigrationSpec("dcA", Table, "dcB", 1, 50_000_000), ct);
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(first.Get(started.Id)?.Progress.FilesDone >= 2 && stalled.Waiting), Deadline, ct));
        await firstLifetime.StopAsync();
        await first.StopAsync(ct);

        using var secondLifetime = new Lifetime();
        using var second = Service(null, secondLifetime);
        await second.StartAsync(ct);

        var listed = Assert.Single(second.List());
        Assert.Equal((started.Id, "dcA", Table, "dcB", 50_000_000L), (listed.Id, listed.Source, listed.Path, listed.Target, listed.RateCap!.Value));
        Assert.True(
            await Eventually.TrueAsync(() => Task.FromResult(second.Get(started.Id)?.Phase is MigrationPhase.Done or MigrationPhase.Failed), Deadline, ct),
            $"still {second.Get(started.Id)?.Phase} after the restart");
        var done = second.Get(started.Id)!;
        Assert.Equal(MigrationPhase.Done, done.Phase);
        Assert.InRange(done.Progress.BytesCopied, 1, (Files - 2) * FileBytes); // resumed: the two verified files were not copied again
        Assert.Equal(Files, done.Progress.FilesDone);
        Assert.Equal(await ChecksumsAsync(_dcA), await ChecksumsAsync(_dcB));

        // and a third host lists it as done, from the store
        using var thirdLifetime = new Lifetime();
        using var third = Service(null, thirdLifetime);
        await third.StartAsync(ct);
        Assert.Equal(MigrationPhase.Done, Assert.Single(third.List()).Phase);
    }

    [Fact]
    public async Task OwnAsync_OwnerDiesWithoutGivingItUp_AnotherInstanceTakesItOverAfterTheLeaseAndResumes()
    {
        var ct = TestContext.Current.CancellationToken;
        for (var i = 0; i < Files; i++)
        {
            await _dcA.WriteAsync($"{Table}/dt=1/part-{i}", FileBytes, i, ct);
        }

        // the owner copies two files, then its link stalls and it dies: its run ends, it never gives the job up
        var stalled = new StallingBudget(2 * FileBytes);
        using var deadLifetime = new Lifetime();
        using var dead = Service(stalled, deadLifetime, "owner-a");
        await dead.StartAsync(ct);
        var started = await dead.StartAsync(new MigrationSpec("dcA", Table, "dcB", 1, 50_000_000), ct);
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(dead.Get(started.Id)?.Progress.FilesDone >= 2 && stalled.Waiting), Deadline, ct));
        await deadLifetime.StopAsync();

        using var otherLifetime = new Lifetime();
        using var other = Service(null, otherLifetime, "owner-b");
        await other.StartAsync(ct);
        var store = new MigrationJobStore(Database());
        Assert.Equal("owner-a", Assert.Single(await store.ListOwnedAsync(null, ct)).Owner); // its lease still runs

        Assert.True(
            await Eventually.TrueAsync(() => Task.FromResult(other.Get(started.Id)?.Phase is MigrationPhase.Done or MigrationPhase.Failed), Deadline, ct),
            $"still {other.Get(started.Id)?.Phase}");
        var done = other.Get(started.Id)!;
        Assert.Equal(MigrationPhase.Done, done.Phase);
        Assert.InRange(done.Progress.BytesCopied, 1, (Files - 2) * FileBytes);
        Assert.Equal(await ChecksumsAsync(_dcA), await ChecksumsAsync(_dcB));
        Assert.Equal("owner-b", Assert.Single(await store.ListOwnedAsync(null, ct)).Owner);
        await otherLifetime.StopAsync();
        await other.StopAsync(ct);
    }

    [Fact]
    public async Task StartAsync_OnOneInstance_ListedAndSeenDoneOnTheOtherThroughTheFeed()
    {
        var ct = TestContext.Current.CancellationToken;
        for (var i = 0; i < Files; i++)
        {
            await _dcA.WriteAsync($"{Table}/dt=1/part-{i}", FileBytes, i, ct);
        }

        await using var state = await TestStateStore.CreateAsync(StateProviders.PostgreSql, ct);
        await using var feedA = await state.StartFeedAsync(ct);
        await using var feedB = await state.StartFeedAsync(ct);
        // no timer fires: neither instance polls, so only the change feed can carry the job from one to the other
        var time = new TimersNeverFire();
        using var lifetimeA = new Lifetime();
        using var lifetimeB = new Lifetime();
        using var a = Service(null, lifetimeA, "owner-a", state.OpenAnother(Schema), time, feedA.Feed);
        using var b = Service(null, lifetimeB, "owner-b", state.OpenAnother(Schema), time, feedB.Feed);
        await a.StartAsync(ct);
        await b.StartAsync(ct);
        Assert.Empty(b.List());

        var started = await a.StartAsync(new MigrationSpec("dcA", Table, "dcB", 1, null), ct);

        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(b.Get(started.Id) is not null), Deadline, ct), "the other instance never listed the job");
        Assert.True(
            await Eventually.TrueAsync(() => Task.FromResult(b.Get(started.Id)?.Phase == MigrationPhase.Done), Deadline, ct),
            $"the other instance shows {b.Get(started.Id)?.Phase}; the owner shows {a.Get(started.Id)?.Phase}");
        Assert.Equal(await ChecksumsAsync(_dcA), await ChecksumsAsync(_dcB));
        await lifetimeA.StopAsync();
        await lifetimeB.StopAsync();
        await a.StopAsync(ct);
        await b.StopAsync(ct);
    }

    private SqliteStateDatabase Database() =>
        new(_temp.Combine("state.db"), [ReplicationSchema.Migration, ReplicationSchema.MigrationOwners], NullLogger<SqliteStateDatabase>.Instance);

    private MigrationService Service(
        IBandwidthBudget? link, Lifetime lifetime, string? owner = null, IStateDatabase? database = null, TimeProvider? time = null, IStateChangeFeed? changes = null)
    {
        var options = Options.Create(new ReplicationOptions { InstanceId = owner, MigrationLease = TimeSpan.FromSeconds(1) });
        time ??= TimeProvider.System;
        var copier = new ReplicaCopier(_versions, null, null, time, NullLogger<ReplicaCopier>.Instance);
        var runner = new MigrationRunner(copier, _versions, time, options, NullLogger<MigrationRunner>.Instance);
        database ??= Database();
        return new MigrationService(
            runner,
            new MigrationJobStore(database),
            new Catalog(_dcA, _dcB),
            link,
            options,
            Options.Create(new TopologyOptions { DataFolder = _temp.Path }),
            lifetime,
            time,
            NullLogger<MigrationService>.Instance,
            changes);
    }

    private static Task<List<(string, string)>> ChecksumsAsync(InMemoryNamespace ns) => MigrationRunnerTests.ChecksumsAsync(ns, Table);

    /// <summary>Grants the first <paramref name="allowed"/> bytes, then waits until cancelled: a link that stalls.</summary>
    private sealed class StallingBudget(long allowed) : IBandwidthBudget
    {
        private long _granted;

        public bool Waiting { get; private set; }

        public async ValueTask AcquireAsync(LinkId link, TrafficPriority priority, string tenant, long bytes, CancellationToken cancellationToken)
        {
            if (Interlocked.Add(ref _granted, bytes) <= allowed)
            {
                return;
            }

            Waiting = true;
            await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, cancellationToken);
        }
    }

    private sealed class Catalog(params INamespace[] namespaces) : INamespaceCatalog
    {
        public IReadOnlyList<string> Datacenters => [.. namespaces.Select(n => n.Name)];

        public INamespace Get(string datacenter) =>
            namespaces.FirstOrDefault(n => n.Name == datacenter) ?? throw new KeyNotFoundException($"no datacenter '{datacenter}'");
    }

    /// <summary>The system clock whose timers never fire (every delay waits until cancelled).</summary>
    private sealed class TimersNeverFire : TimeProvider
    {
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) => new Idle();

        private sealed class Idle : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }

    private sealed class Lifetime : IHostApplicationLifetime, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new();

        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => _stopping.Token;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => _stopping.Cancel();

        public Task StopAsync() => _stopping.CancelAsync();

        public void Dispose() => _stopping.Dispose();
    }
}
