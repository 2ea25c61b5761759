using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using Unitization.DataManager.Hosting;
using Unitization.DataManager.Lineage;
using Unitization.DataManager.Plans;
using Unitization.TestUtils;

namespace Unitization.DataManager.Tests.Plans;

/// <summary>The demo's lineage (infra/demo) with the shipped configuration's DataManager section, refreshed after one new event.</summary>
public class PlanComputationTests
{
    private const string NewRunOfAJob =
        """{"eventType":"COMPLETE","eventTime":"2026-11-22T06:00:00Z","job":{"namespace":"airflow","name":"dag_00002.task_000020"},"inputs":[{"namespace":"hive://metastore","name":"sales.customers","inputFacets":{"inputStatistics":{"size":900000000}}}],"outputs":[{"namespace":"hive://metastore","name":"d0000.t000020","outputFacets":{"outputStatistics":{"size":5000000}}}]}""";

    private const string NewJob =
        """{"eventType":"COMPLETE","eventTime":"2026-11-22T06:00:00Z","job":{"namespace":"airflow","name":"adhoc.orders_report"},"inputs":[{"namespace":"hive://metastore","name":"sales.orders","inputFacets":{"inputStatistics":{"size":40000000}}},{"namespace":"hive://metastore","name":"d0000.t000010","inputFacets":{"inputStatistics":{"size":20000000}}}],"outputs":[{"namespace":"hive://metastore","name":"reports.orders","outputFacets":{"outputStatistics":{"size":1000000}}}]}""";

    [Theory]
    [InlineData(NewRunOfAJob)]
    [InlineData(NewJob)]
    public void Compute_DemoLineagePlusOneEvent_MovesAtMostThatEventsJobAndKeepsPrimaries(string lineageEvent)
    {
        var options = ShippedOptions();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 7, 0, 0, TimeSpan.Zero));
        var accumulator = new LineageAccumulator();
        var read = LineageFile.Read(Path.Combine(RepositoryPaths.Root, "infra", "demo", "lineage.jsonl"), accumulator);
        Assert.Equal(0, read.Skipped);
        var first = PlanComputation.Compute(accumulator.Snapshot(options.WindowDays), options.Settings(), null, time, null, TestContext.Current.CancellationToken);
        Assert.Equal("dcA", Primary(first, "sales.orders")); // the metastore writes it in dcA (DataManager:SourcePrimaries)

        Assert.True(LineageParser.TryParse(Encoding.UTF8.GetBytes(lineageEvent), out var parsed, out var error), error);
        accumulator.Add(parsed!);
        var second = PlanComputation.Compute(accumulator.Snapshot(options.WindowDays), options.Settings(), first, time, null, TestContext.Current.CancellationToken);

        var before = first.Jobs.ToDictionary(j => j.Name, j => j.Datacenter);
        var moved = second.Jobs.Where(j => before.TryGetValue(j.Name, out var dc) && dc != j.Datacenter).Select(j => j.Name).ToList();
        Assert.Subset(new HashSet<string> { parsed!.Job.Name }, moved.ToHashSet());
        Assert.Equal(moved.Count, second.Moves.Count);
        Assert.All(first.Datasets, d => Assert.Equal(d.Primary, Primary(second, d.Name)));
        Assert.Equal(2, second.Version);
    }

    [Fact]
    public void Compute_NoMigrationBudget_MovesNothing()
    {
        var options = ShippedOptions();
        options.MaxMigrationBytesPerDay = 0;
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 7, 0, 0, TimeSpan.Zero));
        var accumulator = new LineageAccumulator();
        LineageFile.Read(Path.Combine(RepositoryPaths.Root, "infra", "demo", "lineage.jsonl"), accumulator);
        var first = PlanComputation.Compute(accumulator.Snapshot(options.WindowDays), options.Settings(), null, time, null, TestContext.Current.CancellationToken);

        // a previous plan with every job in the other datacenter: moving jobs back would save, but copies data
        var previous = new PlacementPlan
        {
            Version = 1,
            Datacenters = first.Datacenters,
            Jobs = [.. first.Jobs.Select(j => j with { Datacenter = j.Datacenter == "dcA" ? "dcB" : "dcA" })],
            Datasets = first.Datasets,
        };
        var second = PlanComputation.Compute(accumulator.Snapshot(options.WindowDays), options.Settings(), previous, time, null, TestContext.Current.CancellationToken);

        Assert.DoesNotContain(second.Moves, m => m.CopyBytes > 0);
        Assert.Equal(first.Jobs.Count, second.Jobs.Count);
    }

    private static string Primary(PlacementPlan plan, string dataset) => plan.Datasets.Single(d => d.Name == dataset).Primary;

    private static DataManagerOptions ShippedOptions()
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(RepositoryPaths.ShippedConfig).Build();
        var options = configuration.GetSection(DataManagerOptions.SectionName).Get<DataManagerOptions>()!;
        Assert.NotEmpty(options.SourcePrimaries);
        return options;
    }
}
