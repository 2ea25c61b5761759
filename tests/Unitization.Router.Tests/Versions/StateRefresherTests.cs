using Microsoft.Extensions.Logging.Abstractions;
using Unitization.Namespaces;
using Unitization.Replication.Versions;
using Unitization.Router.Versions;
using Unitization.TestUtils.Replication;
using Unitization.TestUtils.Servers;

namespace Unitization.Router.Tests.Versions;

public sealed class StateRefresherTests
{
    private const string Table = "/warehouse/t";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// A router whose state store stops answering keeps its replica versions only for ReplicaRecordsMaxAge: a record the
    /// replicator withdrew meanwhile (a replica being replaced on HDFS) stops being served by then, whatever the store does.
    /// </summary>
    [Fact]
    public async Task ExecuteAsync_StoreStallsPastTheMaxAge_DropsTheReplicaVersionsThenReloadsThem()
    {
        var (harness, options) = await OneRecordAsync();
        var store = new StallingStore(harness.ReplicaStore);
        var refresher = Refresher(harness, options, store);
        await refresher.StartAsync(Ct);
        try
        {
            Assert.True(await Eventually.TrueAsync(() => Task.FromResult(Covering(harness) is not null), Deadline, Ct), "the first refresh did not load the record");

            store.Stall();
            var calls = store.Calls;
            harness.Time.Advance(options.RefreshInterval); // the next refresh starts and hangs
            Assert.True(await Eventually.TrueAsync(() => Task.FromResult(store.Calls > calls), Deadline, Ct), "no refresh after the interval");
            Assert.NotNull(Covering(harness)); // 1 s old: still served

            // the hung attempt is cut off 1 s later ((3 s - 1 s) / 2), 2 s after the last success: within the 3 s bound
            harness.Time.Advance(TimeSpan.FromSeconds(1));
            Assert.True(await Eventually.TrueAsync(() => Task.FromResult(Covering(harness) is null), Deadline, Ct), "the records outlived ReplicaRecordsMaxAge");

            store.Resume();
            harness.Time.Advance(options.RefreshInterval);
            Assert.True(await Eventually.TrueAsync(() => Task.FromResult(Covering(harness) is not null), Deadline, Ct), "a refresh after the store came back did not reload the records");
        }
        finally
        {
            store.Resume();
            await refresher.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// The records are as old as the attempt that read them, from its start: a refresh that ends late (here its listing
    /// answers only at the attempt's limit, which it ignores) must not make them look younger, or a store that stalls
    /// next keeps them served past ReplicaRecordsMaxAge.
    /// </summary>
    [Fact]
    public async Task ExecuteAsync_RefreshEndsLateThenStoreStalls_RecordsAgedFromTheAttemptsStart()
    {
        var (harness, options) = await OneRecordAsync();
        var listings = harness.Versions.Datacenters.Count(); // one a datacenter, each refresh
        var store = new LateThenStallingStore(harness.ReplicaStore, listings);
        var refresher = Refresher(harness, options, store);
        await refresher.StartAsync(Ct);
        try
        {
            Assert.True(await Eventually.TrueAsync(() => Task.FromResult(store.Calls >= 1), Deadline, Ct), "the first refresh did not start");

            // the first attempt (started at 0 s) answers at 1 s, when the next one is due; that one hangs, and is cut
            // off at 2 s: 2 s after the records were read, so they go ((3 s - 1 s) / 2 a further attempt could take)
            harness.Time.Advance(options.RefreshInterval);
            store.AnswerFirst();
            Assert.True(await Eventually.TrueAsync(() => Task.FromResult(store.Calls > listings), Deadline, Ct), "no refresh after the late one");
            Assert.NotNull(Covering(harness));
            harness.Time.Advance(TimeSpan.FromSeconds(1));
            Assert.True(await Eventually.TrueAsync(() => Task.FromResult(Covering(harness) is null), Deadline, Ct), "the records outlived ReplicaRecordsMaxAge");
        }
        finally
        {
            store.AnswerFirst();
            await refresher.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public void Validate_MaxAgeUnderTwoRefreshIntervals_RefusedNamingTheKey()
    {
        var options = RouterHarness.DefaultOptions();
        options.RefreshInterval = TimeSpan.FromSeconds(2);
        options.ReplicaRecordsMaxAge = TimeSpan.FromSeconds(3);

        var problems = options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).ToList();

        Assert.Contains(problems, p => p.MemberNames.Single() == nameof(RouterOptions.ReplicaRecordsMaxAge));
    }

    // a router refreshing every second, whose records may be 3 s old, and one replica version in dcB
    private static async Task<(RouterHarness Harness, RouterOptions Options)> OneRecordAsync()
    {
        var options = RouterHarness.DefaultOptions();
        options.RefreshInterval = TimeSpan.FromSeconds(1);
        options.ReplicaRecordsMaxAge = TimeSpan.FromSeconds(3);
        var harness = new RouterHarness(options);
        await harness.ReplicaStore.RecordAsync(new ReplicaVersion("dcB", Table, new TxId(5), harness.Time.GetUtcNow()), Ct);
        return (harness, options);
    }

    private static StateRefresher Refresher(RouterHarness harness, RouterOptions options, IReplicaVersionStore store) =>
        new(harness.Versions, harness.Registry, store, Microsoft.Extensions.Options.Options.Create(options), harness.Time, NullLogger<StateRefresher>.Instance);

    private static TxId? Covering(RouterHarness harness) => harness.Versions.Replicas.Covering("dcB", Table);

    /// <summary>
    /// A replica version store over the in-memory one whose listings a test scripts (each numbered from 1, counted in
    /// <see cref="Calls"/>); everything else passes through.
    /// </summary>
    private abstract class ScriptedListingStore(InMemoryReplicaVersionStore inner) : IReplicaVersionStore
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        protected InMemoryReplicaVersionStore Inner => inner;

        public Task<IReadOnlyList<ReplicaVersion>> ListAsync(string datacenter, string pathPrefix, CancellationToken cancellationToken) =>
            ListAsync(Interlocked.Increment(ref _calls), datacenter, pathPrefix, cancellationToken);

        public Task RecordAsync(ReplicaVersion version, CancellationToken cancellationToken) => inner.RecordAsync(version, cancellationToken);

        public Task<ReplicaVersion?> GetAsync(string datacenter, string path, CancellationToken cancellationToken) => inner.GetAsync(datacenter, path, cancellationToken);

        public Task RemoveAsync(string datacenter, string path, CancellationToken cancellationToken) => inner.RemoveAsync(datacenter, path, cancellationToken);

        protected abstract Task<IReadOnlyList<ReplicaVersion>> ListAsync(int call, string datacenter, string pathPrefix, CancellationToken cancellationToken);
    }

    /// <summary>
    /// A replica version store whose first refresh's listings (the first <paramref name="late"/>) answer only when told,
    /// cancelled or not, and every later one hangs until cancelled.
    /// </summary>
    private sealed class LateThenStallingStore(InMemoryReplicaVersionStore inner, int late) : ScriptedListingStore(inner)
    {
        private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void AnswerFirst() => _first.TrySetResult();

        protected override async Task<IReadOnlyList<ReplicaVersion>> ListAsync(int call, string datacenter, string pathPrefix, CancellationToken cancellationToken)
        {
            if (call <= late)
            {
                await _first.Task;
                return await Inner.ListAsync(datacenter, pathPrefix, CancellationToken.None);
            }

            await Task.Delay(Timeout.Infinite, cancellationToken);
            return [];
        }
    }

    /// <summary>A replica version store whose listings hang (until cancelled or resumed) while stalled.</summary>
    private sealed class StallingStore(InMemoryReplicaVersionStore inner) : ScriptedListingStore(inner)
    {
        private volatile TaskCompletionSource? _stall;

        public void Stall() => _stall = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Resume() => _stall?.TrySetResult();

        protected override async Task<IReadOnlyList<ReplicaVersion>> ListAsync(int call, string datacenter, string pathPrefix, CancellationToken cancellationToken)
        {
            if (_stall is { } stall)
            {
                await stall.Task.WaitAsync(cancellationToken);
                _stall = null;
            }

            return await Inner.ListAsync(datacenter, pathPrefix, cancellationToken);
        }
    }
}
