using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Unitization.DataManager.Rules;
using Unitization.Replication.Rules;

namespace Unitization.Replication.Tests.Rules;

public sealed class RuleBookTests
{
    private const string Hive = "hive://metastore";

    [Fact]
    public void Merge_PinnedDatasetNotInPlan_BecomesRuleOfItsOwn()
    {
        var plan = new[] { new ReplicationRule(Hive, "web.clicks", "dcB", ["dcA"], 3, 1000) };
        var merged = RuleBook.Merge(plan, [Pin("sales.orders", "dcA", 2, "dcB", "dcA")]);

        Assert.Equal(2, merged.Count);
        Assert.Equal(plan[0], merged[0]);
        var pinned = merged[1];
        Assert.Equal(("sales.orders", "dcA", 2), (pinned.DatasetName, pinned.Primary, pinned.Priority));
        Assert.Equal(["dcB"], pinned.Targets); // the primary is no target of its own
    }

    [Fact]
    public void Merge_PinnedDatasetInPlan_KeepsPlanPrimary_UnitesTargets_TakesHigherPriority()
    {
        var plan = new[] { new ReplicationRule(Hive, "Sales.Orders", "dcB", ["dcC"], 4, 5000) };
        var merged = RuleBook.Merge(plan, [Pin("sales.orders", "dcA", 1, "dcB", "dcD", "dcC")]);

        var rule = Assert.Single(merged);
        Assert.Equal("dcB", rule.Primary);
        Assert.Equal(["dcC", "dcD"], rule.Targets);
        Assert.Equal(4, rule.Priority);
        Assert.Equal(5000, rule.DailyBytes);

        var higher = Assert.Single(RuleBook.Merge(plan, [Pin("sales.orders", "dcA", 9, "dcD")]));
        Assert.Equal(9, higher.Priority);
    }

    [Fact]
    public void Merge_OtherNamespace_DoesNotMatch()
    {
        var plan = new[] { new ReplicationRule("hive://other", "sales.orders", "dcA", ["dcC"], 1, 1) };
        Assert.Equal(2, RuleBook.Merge(plan, [Pin("sales.orders", "dcA", 1, "dcB")]).Count);
    }

    [Fact]
    public async Task GetAsync_EmptyPlan_FindsPinnedRule_BoundFromConfiguration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["PinnedRules:0:DatasetNamespace"] = Hive,
            ["PinnedRules:0:DatasetName"] = "sales.orders",
            ["PinnedRules:0:Primary"] = "dcA",
            ["PinnedRules:0:Targets:0"] = "dcB",
            ["PinnedRules:0:Priority"] = "2",
        }).Build();
        var options = new ReplicationOptions();
        configuration.Bind(options, o => o.ErrorOnUnknownConfiguration = true);
        var book = new RuleBook(new Source([]), Options.Create(options), new FakeTimeProvider(), NullLogger<RuleBook>.Instance);

        var rule = await book.FindAsync("SALES", "orders", TestContext.Current.CancellationToken);

        Assert.NotNull(rule);
        Assert.Equal(["dcB"], rule.Targets);
        Assert.Equal(Throttle.Budget.TrafficPriority.High, RuleBook.PriorityOf(rule));
    }

    [Fact]
    public void Validate_BadPinnedRule_SaysWhichEntryAndField()
    {
        var options = new ReplicationOptions();
        options.PinnedRules.Add(Pin("sales.orders", "dcA", 1, "dcB"));
        options.PinnedRules.Add(Pin("orders", "", 11));

        var errors = new List<ValidationResult>();
        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true));

        var messages = errors.Select(e => e.ErrorMessage).ToList();
        Assert.Equal(4, messages.Count);
        Assert.All(messages, m => Assert.StartsWith("PinnedRules:1:", m, StringComparison.Ordinal));
        Assert.Contains(messages, m => m!.Contains("DatasetName must be db.table", StringComparison.Ordinal));
        Assert.Contains(messages, m => m!.Contains("Primary is required", StringComparison.Ordinal));
        Assert.Contains(messages, m => m!.Contains("Targets", StringComparison.Ordinal));
        Assert.Contains(messages, m => m!.Contains("Priority must be 0..10", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_DropBehindWithoutSyncStagedData_SaysWhichOptionsClash()
    {
        var options = new ReplicationOptions { DropCacheBehindWrites = true, SyncStagedData = false };

        var errors = new List<ValidationResult>();
        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true));

        var error = Assert.Single(errors);
        Assert.StartsWith("DropCacheBehindWrites needs SyncStagedData", error.ErrorMessage, StringComparison.Ordinal);
        var durable = new ReplicationOptions { DropCacheBehindWrites = true };
        Assert.True(Validator.TryValidateObject(durable, new ValidationContext(durable), [], validateAllProperties: true));
    }

    private static PinnedRule Pin(string name, string primary, int priority, params string[] targets)
    {
        var pin = new PinnedRule { DatasetNamespace = Hive, DatasetName = name, Primary = primary, Priority = priority };
        foreach (var t in targets)
        {
            pin.Targets.Add(t);
        }

        return pin;
    }

    private sealed class Source(IReadOnlyList<ReplicationRule> rules) : IReplicationRuleSource
    {
        public Task<IReadOnlyList<ReplicationRule>> GetRulesAsync(CancellationToken cancellationToken) => Task.FromResult(rules);
    }
}
