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
        var options = RouterHarness.DefaultOptions();
        options.RefreshInterval = TimeSpan.FromSeconds(1);
        options.ReplicaRecordsMaxAge = TimeSpan.FromSeconds(3);
        var harness = new RouterHarness(options);
        await harness.ReplicaStore.RecordAsync(new ReplicaVersion("dcB", Table, new TxId(5), harness.Time.GetUtcNow()), Ct);
        var store = new StallingStore(harness.ReplicaStore);
        var refresher = new StateRefresher(
            harness.Versions, harness.Registry, store, Microsoft.Extensions.Options.Options.Create(options), harness.Time, NullLogger<StateRefresher>.Instance);
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

    [Fact]
    public void Validate_MaxAgeUnderTwoRefreshIntervals_RefusedNamingTheKey()
    {
        var options = RouterHarness.DefaultOptions();
        options.RefreshInterval = TimeSpan.FromSeconds(2);
        options.ReplicaRecordsMaxAge = TimeSpan.FromSeconds(3);

        var problems = options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).ToList();

        Assert.Contains(problems, p => p.MemberNames.Single() == nameof(RouterOptions.ReplicaRecordsMaxAge));
    }

    private static TxId? Covering(RouterHarness harness) => harness.Versions.Replicas.Covering("dcB", Table);

    /// <summary>A replica version store whose listings hang (until cancelled or resumed) while stalled.</summary>
    private sealed class StallingStore(InMemoryReplicaVersionStore inner) : IReplicaVersionStore
    {
        private volatile TaskCompletionSource? _stall;
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public void Stall() => _stall = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Resume() => _stall?.TrySetResult();

        public async Task<IReadOnlyList<ReplicaVersion>> ListAsync(string datacenter, string pathPrefix, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            if (_stall is { } stall)
            {
                await stall.Task.WaitAsync(cancellationToken);
                _stall = null;
            }

            return await inner.ListAsync(datacenter, pathPrefix, cancellationToken);
        }

        public Task RecordAsync(ReplicaVersion version, CancellationToken cancellationToken) => inner.RecordAsync(version, cancellationToken);

        public Task<ReplicaVersion?> GetAsync(string datacenter, string path, CancellationToken cancellationToken) => inner.GetAsync(datacenter, path, cancellationToken);

        public Task RemoveAsync(string datacenter, string path, CancellationToken cancellationToken) => inner.RemoveAsync(datacenter, path, cancellationToken);
    }
}
