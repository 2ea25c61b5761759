using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Unitization.DataManager.Rules;
using Unitization.Replication.Copy;
using Unitization.Replication.Lifecycle;
using Unitization.Replication.Rules;
using Unitization.Replication.State;
using Unitization.Replication.Versions;
using Unitization.StateStore;
using Unitization.TestUtils;
using Unitization.TestUtils.Namespaces;
using Unitization.Throttle.Budget;

namespace Unitization.Replication.Tests.Lifecycle;

public sealed class ReplicaLifecycleTests : IDisposable
{
    private const string Dataset = "sales.orders";
    private const string Partition = "/warehouse/sales/orders/dt=2026-11-23";
    private static readonly TimeSpan Grace = TimeSpan.FromHours(1);
    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 4, 0, 0, TimeSpan.Zero));
    private readonly InMemoryNamespaceCatalog _namespaces = new("dcA", "dcB");
    private readonly MutableRules _rules = new();
    private readonly ReplicationOptions _options = new() { RetireGracePeriod = Grace, RulesRefreshInterval = TimeSpan.FromSeconds(1) };
    private readonly StateStoreReplicaVersionStore _versions;
    private readonly ReplicaRegistry _registry;
    private readonly ReplicaCopier _copier;
    private readonly ReplicaLifecycle _lifecycle;

    public ReplicaLifecycleTests()
    {
        var database = new SqliteStateDatabase(
            _temp.Combine("state.db"),
            [StateStoreReplicaVersionStore.Migration, ReplicationSchema.Migration, ReplicationSchema.Lifecycle],
            NullLogger<SqliteStateDatabase>.Instance);
        _versions = new StateStoreReplicaVersionStore(database);
        _registry = new ReplicaRegistry(database);
        _copier = new ReplicaCopier(_versions, null, null, _time, NullLogger<ReplicaCopier>.Instance);
        var options = Options.Create(_options);
        var book = new RuleBook(_rules, options, _time, NullLogger<RuleBook>.Instance);
        _lifecycle = new ReplicaLifecycle(book, _registry, _copier, _namespaces, options, _time, NullLogger<ReplicaLifecycle>.Instance);
        _rules.Set(Rule());
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task SweepAsync_DatasetRemovedFromRules_KeptDuringGracePeriod_RetiredAfterIt()
    {
        var ct = TestContext.Current.CancellationToken;
        await ReplicateAsync(ct);
        Assert.Equal(0, (await _lifecycle.SweepAsync(ct)).Expiring);

        _rules.Set();
        Advance(TimeSpan.FromSeconds(2));
        var removedAt = _time.GetUtcNow();
        Assert.Equal(1, (await _lifecycle.SweepAsync(ct)).Expiring);
        var expiring = await SingleAsync(ct);
        Assert.Equal(ReplicaState.Expiring, expiring.State);
        Assert.Equal(removedAt + Grace, _lifecycle.Describe(expiring, _time.GetUtcNow()).RetireAt);

        Advance(Grace - TimeSpan.FromSeconds(1));
        var sweep = await _lifecycle.SweepAsync(ct);
        Assert.Equal((0, 0), (sweep.Expiring, sweep.Retired));
        Assert.Equal(ReplicaState.Expiring, (await SingleAsync(ct)).State);
        Assert.NotNull(await _namespaces.Get("dcB").GetStatusAsync(Partition + "/part-0", ct));
        Assert.NotNull(await _versions.GetAsync("dcB", Partition, ct));

        Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, (await _lifecycle.SweepAsync(ct)).Retired);
        var retired = await SingleAsync(ct);
        Assert.Equal(ReplicaState.Retired, retired.State);
        Assert.Equal(_time.GetUtcNow(), retired.RetiredAt);
        Assert.Contains("not in the replication rules", retired.Reason, StringComparison.Ordinal);
        Assert.Null(await _namespaces.Get("dcB").GetStatusAsync(Partition, ct));
        Assert.Null(await _versions.GetAsync("dcB", Partition, ct));
        Assert.NotNull(await _namespaces.Get("dcA").GetStatusAsync(Partition + "/part-0", ct));
        await foreach (var leftover in _namespaces.Get("dcB").ListAsync(_lifecycle.TrashFolder, ct))
        {
            Assert.Fail($"left in the trash: {leftover.Path}");
        }

        Assert.Equal(["retired", "expiring"], (await _registry.HistoryAsync(10, ct)).Select(h => h.Action));
    }

    [Fact]
    public async Task SweepAsync_RuleBackDuringGracePeriod_CancelsRetirement()
    {
        var ct = TestContext.Current.CancellationToken;
        await ReplicateAsync(ct);
        _rules.Set();
        Advance(TimeSpan.FromSeconds(2));
        await _lifecycle.SweepAsync(ct);
        Assert.Equal(ReplicaState.Expiring, (await SingleAsync(ct)).State);

        _rules.Set(Rule());
        Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(1, (await _lifecycle.SweepAsync(ct)).Kept);
        var kept = await SingleAsync(ct);
        Assert.Equal((ReplicaState.Active, (DateTimeOffset?)null), (kept.State, kept.UnruledSince));

        Advance(Grace * 2);
        var sweep = await _lifecycle.SweepAsync(ct);
        Assert.Equal((0, 0), (sweep.Retired, sweep.Expiring));
        Assert.Equal(ReplicaState.Active, (await SingleAsync(ct)).State);
        Assert.NotNull(await _namespaces.Get("dcB").GetStatusAsync(Partition + "/part-0", ct));
        Assert.NotNull(await _versions.GetAsync("dcB", Partition, ct));
        Assert.Equal(["kept", "expiring"], (await _registry.HistoryAsync(10, ct)).Select(h => h.Action));
    }

    [Fact]
    public async Task SweepAsync_RuleDropsOnlyThisTarget_RetiresAfterGrace()
    {
        var ct = TestContext.Current.CancellationToken;
        await ReplicateAsync(ct);
        _rules.Set(new ReplicationRule("hive://metastore", Dataset, "dcA", ["dcC"], 1, 0));
        Advance(TimeSpan.FromSeconds(2));
        await _lifecycle.SweepAsync(ct);
        Advance(Grace);

        Assert.Equal(1, (await _lifecycle.SweepAsync(ct)).Retired);
        Assert.Null(await _namespaces.Get("dcB").GetStatusAsync(Partition, ct));
    }

    [Fact]
    public async Task SweepAsync_TtlPassedSinceLastCommit_RetiresReplica()
    {
        var ct = TestContext.Current.CancellationToken;
        _options.ReplicaTtl = TimeSpan.FromDays(1);
        await ReplicateAsync(ct);
        var committedAt = _time.GetUtcNow();

        Advance(TimeSpan.FromHours(23));
        Assert.Equal(0, (await _lifecycle.SweepAsync(ct)).Expired);
        var active = _lifecycle.Describe(await SingleAsync(ct), _time.GetUtcNow());
        Assert.Equal((ReplicaState.Active, committedAt + TimeSpan.FromDays(1)), (active.State, active.ExpiresAt));

        Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, (await _lifecycle.SweepAsync(ct)).Expired);
        var retired = await SingleAsync(ct);
        Assert.Equal(ReplicaState.Retired, retired.State);
        Assert.Contains("TTL", retired.Reason, StringComparison.Ordinal);
        Assert.Null(await _namespaces.Get("dcB").GetStatusAsync(Partition, ct));
        Assert.Null(await _versions.GetAsync("dcB", Partition, ct));
    }

    [Fact]
    public async Task SweepAsync_NewCommit_RestartsTtl()
    {
        var ct = TestContext.Current.CancellationToken;
        _options.ReplicaTtl = TimeSpan.FromDays(1);
        await ReplicateAsync(ct);
        Advance(TimeSpan.FromHours(20));
        await _namespaces.Get("dcA").CreateAsync(Partition + "/part-1", (s, c) => s.WriteAsync(new byte[] { 1, 2, 3 }, c).AsTask(), overwrite: false, ct);
        await ReplicateAsync(ct);

        Advance(TimeSpan.FromHours(10));
        Assert.Equal(0, (await _lifecycle.SweepAsync(ct)).Expired);
        Assert.Equal(ReplicaState.Active, (await SingleAsync(ct)).State);
    }

    [Fact]
    public async Task SweepAsync_PinnedRuleTtl_OverridesConfiguredTtl()
    {
        var ct = TestContext.Current.CancellationToken;
        _options.ReplicaTtl = TimeSpan.FromDays(30);
        var pin = new PinnedRule { DatasetName = Dataset, Primary = "dcA", Ttl = TimeSpan.FromHours(2) };
        pin.Targets.Add("dcB");
        _options.PinnedRules.Add(pin);
        await ReplicateAsync(ct);

        Advance(TimeSpan.FromHours(2));
        Assert.Equal(1, (await _lifecycle.SweepAsync(ct)).Expired);
    }

    [Fact]
    public async Task SweepAsync_RulesNeverLoaded_Throws_AndRetiresNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        _options.RetireGracePeriod = TimeSpan.Zero;
        await _registry.TrackAsync("dcB", Partition, Dataset, _time.GetUtcNow(), _time.GetUtcNow(), ct);
        _rules.Fail = true;

        await Assert.ThrowsAsync<HttpRequestException>(() => _lifecycle.SweepAsync(ct));

        Assert.Equal(ReplicaState.Active, (await SingleAsync(ct)).State);
    }

    private static ReplicationRule Rule() => new("hive://metastore", Dataset, "dcA", ["dcB"], 1, 0);

    private void Advance(TimeSpan by) => _time.Advance(by);

    private async Task ReplicateAsync(CancellationToken ct)
    {
        var dcA = _namespaces.Get("dcA");
        if (await dcA.GetStatusAsync(Partition + "/part-0", ct) is null)
        {
            await dcA.CreateAsync(Partition + "/part-0", (s, c) => s.WriteAsync(new byte[4096], c).AsTask(), overwrite: false, ct);
        }

        var outcome = await _copier.ReplicateAsync(new CopyRequest(dcA, _namespaces.Get("dcB"), Partition, Dataset, TrafficPriority.Normal, "/.unitization/staging/w0"), 1, ct);
        Assert.Equal(CopyResult.Copied, outcome.Result);
        await _registry.TrackAsync("dcB", Partition, Dataset, _time.GetUtcNow(), _time.GetUtcNow(), ct);
    }

    private async Task<ReplicaRecord> SingleAsync(CancellationToken ct) => Assert.Single(await _registry.ListAsync("dcB", null, ct));

    private sealed class MutableRules : IReplicationRuleSource
    {
        private IReadOnlyList<ReplicationRule> _rules = [];

        public bool Fail { get; set; }

        public void Set(params ReplicationRule[] rules) => _rules = rules;

        public Task<IReadOnlyList<ReplicationRule>> GetRulesAsync(CancellationToken cancellationToken) =>
            Fail ? throw new HttpRequestException("DataManager is down") : Task.FromResult(_rules);
    }
}
