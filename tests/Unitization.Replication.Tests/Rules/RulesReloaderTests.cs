using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Unitization.DataManager.Rules;
using Unitization.Replication.Rules;
using Unitization.StateStore.Changes;
using Unitization.TestUtils.Servers;
using Unitization.TestUtils.StateStore;

namespace Unitization.Replication.Tests.Rules;

/// <summary>A replicator's rule book and a DataManager instance on their own feeds over one real PostgreSQL.</summary>
public sealed class RulesReloaderTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task RulesAnnounced_ByAnotherInstance_RuleBookReloadsBeforeItsRefreshInterval()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fleet = await FleetPair<TestChangeFeed>.StartAsync((store, _, c) => store.StartFeedAsync(c), ct);
        var (dataManager, replicator) = (fleet.First, fleet.Second);
        var source = new MutableSource(Rule("dcB"));
        // the clock stands still: the hour-long refresh interval never runs out, only a notice reloads
        var book = new RuleBook(
            source,
            Options.Create(new ReplicationOptions { RulesRefreshInterval = TimeSpan.FromHours(1) }),
            new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero)),
            NullLogger<RuleBook>.Instance);
        var reloader = new RulesReloader(book, replicator.Feed);
        await reloader.StartAsync(ct);

        Assert.Equal(["dcB"], (await book.FindAsync("sales", "orders", ct))!.Targets);
        // the feed reloads a kind once when it starts listening to it: past that, only a notice reloads
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(source.Reads >= 2), Deadline, ct), "the feed never listened");
        source.Rules = Rule("dcC");
        Assert.Equal(["dcB"], (await book.FindAsync("sales", "orders", ct))!.Targets); // cached for the interval

        await dataManager.Feed.PublishAsync(StateChangeKinds.Rules, ct);

        Assert.True(
            await Eventually.TrueAsync(async () => (await book.FindAsync("sales", "orders", ct))!.Targets.SequenceEqual(["dcC"]), Deadline, ct),
            "the rule book kept the old rules after the announcement");
        await reloader.StopAsync(ct);
    }

    private static IReadOnlyList<ReplicationRule> Rule(string target) => [new("hive://metastore", "sales.orders", "dcA", [target], 1, 1000)];

    private sealed class MutableSource(IReadOnlyList<ReplicationRule> rules) : IReplicationRuleSource
    {
        private int _reads;

        public IReadOnlyList<ReplicationRule> Rules { get; set; } = rules;

        public int Reads => Volatile.Read(ref _reads);

        public Task<IReadOnlyList<ReplicationRule>> GetRulesAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _reads);
            return Task.FromResult(Rules);
        }
    }
}
