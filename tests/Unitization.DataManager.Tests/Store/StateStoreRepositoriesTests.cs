using Unitization.DataManager.Apply;
using Unitization.DataManager.Lineage;
using Unitization.DataManager.Plans;
using Unitization.DataManager.Store;
using Unitization.StateStore;
using Unitization.TestUtils.StateStore;

namespace Unitization.DataManager.Tests.Store;

/// <summary>DataManager's repositories over both providers (PostgreSQL from <c>UNITIZATION_TEST_POSTGRES</c>).</summary>
public sealed class StateStoreRepositoriesTests : StateStoreSuite
{
    private static readonly DateTimeOffset At = new(2026, 11, 23, 1, 0, 0, TimeSpan.Zero);
    private static readonly JobRef Job = new("airflow", "etl.daily");
    private static readonly DatasetRef Orders = new("hive://m", "sales.orders");
    private IStateDatabase _database = null!;

    [Theory]
    [InlineData(StateProviders.Sqlite)]
    [InlineData(StateProviders.PostgreSql)]
    public async Task PlanStore_TwoSaves_NumbersThemAndReadsLatestOrAsked(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await UseAsync(provider);
        var plans = new StateStorePlanStore(_database);
        Assert.Null(await plans.GetAsync(null, ct));

        var first = new PlacementPlan { CreatedAt = At, Datacenters = ["dcA", "dcB"], Summary = new PlanSummary { CrossDcBytesPerDay = 1.5e15 } };
        var second = new PlacementPlan { CreatedAt = At.AddHours(1), Datacenters = ["dcA"] };
        Assert.Equal(1, await plans.SaveAsync(first, ct));
        Assert.Equal(2, await plans.SaveAsync(second, ct));

        Assert.Equal(["dcA"], (await plans.GetAsync(null, ct))!.Datacenters);
        var old = await plans.GetAsync(1, ct);
        Assert.Equal(1.5e15, old!.Summary.CrossDcBytesPerDay);
        Assert.Null(await plans.GetAsync(3, ct));
    }

    [Theory]
    [InlineData(StateProviders.Sqlite)]
    [InlineData(StateProviders.PostgreSql)]
    public async Task PlanStore_ConcurrentSaves_EachGetsItsOwnVersion(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await UseAsync(provider);
        var plans = new StateStorePlanStore(_database);

        var versions = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => plans.SaveAsync(new PlacementPlan { CreatedAt = At }, ct)));

        Assert.Equal(Enumerable.Range(1, 8).Select(v => (long)v), versions.Order());
    }

    [Theory]
    [InlineData(StateProviders.Sqlite)]
    [InlineData(StateProviders.PostgreSql)]
    public async Task LineageStore_AppendTwice_AddsBytesAndRunsAndRefusesASeenRun(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await UseAsync(provider);
        var lineage = new StateStoreLineageStore(_database);
        var day = DateOnly.FromDateTime(At.UtcDateTime);

        Assert.True(await lineage.AppendAsync(Day(day, 3_000_000_000), ["run-1"], At, ct));
        Assert.True(await lineage.AppendAsync(Day(day, 4_000_000_000), ["run-2"], At, ct));
        Assert.False(await lineage.AppendAsync(Day(day, 1), ["run-1"], At, ct));
        await lineage.AppendAsync(Day(day.AddDays(-30), 5), ct); // outside a 7-day window

        Assert.Equal(new HashSet<string> { "run-2" }, await lineage.SeenRunsAsync(["run-2", "run-3"], ct));
        var snapshot = await lineage.LoadAsync(7, ct);
        Assert.Equal([Job], snapshot.Jobs);
        Assert.Equal(2, snapshot.Runs.Single());
        Assert.Equal(1, snapshot.Days); // the day 30 days back is outside the window
        Assert.Equal(7_000_000_000, snapshot.ReadBytesPerDay.Single(), 3);
    }

    [Theory]
    [InlineData(StateProviders.Sqlite)]
    [InlineData(StateProviders.PostgreSql)]
    public async Task LineageStore_AnnounceTwice_ListsEachDatasetOnce(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await UseAsync(provider);
        var lineage = new StateStoreLineageStore(_database);

        await lineage.AnnounceDatasetsAsync([Orders, new DatasetRef("hive://m", "sales.items")], At, ct);
        await lineage.AnnounceDatasetsAsync([Orders], At.AddDays(1), ct);

        Assert.Equal([new DatasetRef("hive://m", "sales.items"), Orders], await lineage.AnnouncedDatasetsAsync(ct));
        Assert.Same(LineageSnapshot.Empty, await lineage.LoadAsync(7, ct));
    }

    [Theory]
    [InlineData(StateProviders.Sqlite)]
    [InlineData(StateProviders.PostgreSql)]
    public async Task AppliedPlacementStore_SaveTwice_ListsTheLatestPerDatasetInOrder(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await UseAsync(provider);
        var applied = new StateStoreAppliedPlacementStore(_database);
        Assert.Empty(await applied.ListAsync(ct));

        await applied.SaveAsync(new AppliedDataset("hive://m", "sales.orders", "/w/orders", "dcA", ["dcB"], 1, At), ct);
        await applied.SaveAsync(new AppliedDataset("hive://m", "sales.items", "/w/items", "dcB", [], 1, At), ct);
        await applied.SaveAsync(new AppliedDataset("hive://m", "sales.orders", "/w/orders", "dcB", ["dcA", "dcC"], 5_000_000_000, At.AddHours(1)), ct);

        var list = await applied.ListAsync(ct);
        Assert.Equal(["sales.items", "sales.orders"], list.Select(d => d.Name));
        var orders = list[1];
        Assert.Equal(("dcB", 5_000_000_000L, At.AddHours(1)), (orders.Primary, orders.PlanVersion, orders.AppliedAt));
        Assert.Equal(["dcA", "dcC"], orders.Replicas);
        Assert.Empty(list[0].Replicas);
    }

    private static LineageAccumulator Day(DateOnly day, long bytes)
    {
        var accumulator = new LineageAccumulator();
        accumulator.Add(new DailyIo(day, Job, "etl", Orders, false, bytes));
        accumulator.Add(new DailyRuns(day, Job, "etl", 1));
        return accumulator;
    }

    private async Task UseAsync(string provider) =>
        _database = await StoreAsync(provider, DataManagerSchema.Initial, DataManagerSchema.RunsAndDatasets, DataManagerSchema.AppliedPlacement);
}
