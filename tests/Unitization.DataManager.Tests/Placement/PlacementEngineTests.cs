using Unitization.DataManager.Placement;
using Unitization.DataManager.Plans;

namespace Unitization.DataManager.Tests.Placement;

public class PlacementEngineTests
{
    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 3)]
    [InlineData(3, 4)]
    [InlineData(4, 3)]
    [InlineData(5, 2)]
    public void Place_RandomProblems_BalanceAlwaysHolds(int seed, int datacenters)
    {
        var problem = TestProblems.Random(seed, jobs: 200, datasets: 120, datacenters: datacenters, eps: 0.1);
        var result = PlacementEngine.Place(problem, new PlacementOptions(seed, SolverSeconds: 0.5), cancellationToken: TestContext.Current.CancellationToken);
        var loads = PlacementCost.Loads(problem, result.JobDatacenter);
        Assert.True(PlacementCost.IsBalanced(problem, loads), $"loads {string.Join(",", loads)} capacity {string.Join(",", problem.Capacity)}");
        Assert.True(result.Figures.Balanced);
    }

    [Fact]
    public void Place_OneCommunityLargerThanAnyDatacenter_IsSplitAndBalanced()
    {
        // every job reads the same table: one community holding all the load, shares 1:1 -> must split
        var problem = TestProblems.Random(9, jobs: 120, datasets: 3, datacenters: 2, eps: 0.05);
        var result = PlacementEngine.Place(problem, new PlacementOptions(9, SolverSeconds: 0.5), cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(result.Figures.Balanced, $"imbalance {result.Figures.Imbalance}");
        Assert.Equal(2, result.JobDatacenter.Distinct().Count());
    }

    [Fact]
    public void Place_SameSeed_SamePlan()
    {
        var problem = TestProblems.Random(21, jobs: 150, datasets: 90);
        // the heuristic is deterministic per seed; CP-SAT is too when it proves optimality, not when its time runs out
        var a = PlacementEngine.Place(problem, new PlacementOptions(5, SolverSeconds: 0), cancellationToken: TestContext.Current.CancellationToken);
        var b = PlacementEngine.Place(problem, new PlacementOptions(5, SolverSeconds: 0), cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(a.JobDatacenter, b.JobDatacenter);
        Assert.Equal(a.Primary, b.Primary);
        Assert.Equal(a.Replicas, b.Replicas);
    }

    [Fact]
    public void Place_ClusteredLineage_BeatsTheHashBaseline()
    {
        var problem = TestProblems.Random(33, jobs: 300, datasets: 200);
        var result = PlacementEngine.Place(problem, new PlacementOptions(1, SolverSeconds: 0.5), cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(result.Figures.Cost.Total < result.HashBaseline.Cost.Total,
            $"placement {result.Figures.Cost.Total} vs hash {result.HashBaseline.Cost.Total}");
    }

    [Fact]
    public void Place_ReplicaRule_ReplicaExactlyWhereReadsExceedCopyCost()
    {
        var problem = TestProblems.Random(8, jobs: 100, datasets: 50);
        var result = PlacementEngine.Place(problem, new PlacementOptions(8, SolverSeconds: 0.5), cancellationToken: TestContext.Current.CancellationToken);
        var state = new PlacementState(problem, (int[])result.JobDatacenter.Clone());
        Array.Copy(result.Primary, state.Primary, result.Primary.Length);
        for (var x = 0; x < problem.DatasetCount; x++)
        {
            for (var d = 0; d < problem.DatacenterCount; d++)
            {
                var wanted = d != result.Primary[x] && state.Read[(x * problem.DatacenterCount) + d] > problem.CopyCost[x] + 1e-6;
                Assert.Equal(wanted, result.Replicas[(x * problem.DatacenterCount) + d]);
            }
        }
    }

    [Fact]
    public void Place_WithPreviousPlan_MovesAtMostMaxMovesAndListsThem()
    {
        var problem = TestProblems.Random(13, jobs: 200, datasets: 100);
        var fresh = PlacementEngine.Place(problem, new PlacementOptions(13, SolverSeconds: 0), cancellationToken: TestContext.Current.CancellationToken);
        // a previous plan that had every 8th job (25 of them) one datacenter on: each of them is away from its
        // community, so moving it back saves (whole-plan rotations leave no single move that saves)
        var rotated = PlanBuilder.Build(fresh, DateTimeOffset.UnixEpoch, 0);
        foreach (var (job, i) in rotated.Jobs.Select((j, i) => (j, i)).Where(p => p.i % 8 == 0).ToList())
        {
            rotated.Jobs[i] = job with { Datacenter = problem.Datacenters[(fresh.JobDatacenter[i] + 1) % problem.DatacenterCount] };
        }

        var previous = PlanBuilder.Previous(rotated);
        var limited = PlacementEngine.Place(problem, new PlacementOptions(13, MaxMoves: 10, SolverSeconds: 0, HorizonDays: 1e9), previous, cancellationToken: TestContext.Current.CancellationToken);
        var changed = Enumerable.Range(0, problem.JobCount).Count(j => previous.Jobs[problem.Lineage.Jobs[j]] != problem.Datacenters[limited.JobDatacenter[j]]);
        Assert.InRange(changed, 1, 10);
        Assert.Equal(changed, limited.Moves.Count);
        Assert.All(limited.Moves, m => Assert.True(m.SavesBytesPerDay > 0));

        // every saving repays its migration within the horizon: with enough budget, the whole new plan
        var unlimited = PlacementEngine.Place(problem, new PlacementOptions(13, SolverSeconds: 0, HorizonDays: 1e9), previous, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(unlimited.Moves.Count > 10);
        // enough budget: every move that saves is made, and only those
        Assert.All(unlimited.Moves, m => Assert.True(m.SavesBytesPerDay > 0));
        Assert.True(unlimited.Figures.Cost.Total <= limited.Figures.Cost.Total + 1e-6);
    }

    [Fact]
    public void Build_Plan_ListsEveryJobAndDatasetOnce()
    {
        var problem = TestProblems.Random(17, jobs: 80, datasets: 60);
        var plan = PlanBuilder.Build(PlacementEngine.Place(problem, new PlacementOptions(1, SolverSeconds: 0.5), cancellationToken: TestContext.Current.CancellationToken), DateTimeOffset.UnixEpoch, 0);
        Assert.Equal(problem.JobCount, plan.Jobs.Select(j => (j.Namespace, j.Name)).Distinct().Count());
        Assert.Equal(problem.JobCount, plan.Jobs.Count);
        Assert.Equal(problem.DatasetCount, plan.Datasets.Count);
        Assert.All(plan.Datasets, d => Assert.DoesNotContain(d.Primary, d.Replicas));
        Assert.Equal(["hash", "dag"], plan.Summary.Baselines.Keys);
    }

    [Fact]
    public void Parse_Datacenters_ReportsWhatIsWrong()
    {
        Assert.Equal(["dcA", "dcB"], DatacenterShares.Parse("dcA=5, dcB=3").Ids);
        Assert.Contains("positive", Assert.Throws<FormatException>(() => DatacenterShares.Parse("dcA=0")).Message, StringComparison.Ordinal);
        Assert.Contains("id=share", Assert.Throws<FormatException>(() => DatacenterShares.Parse("dcA")).Message, StringComparison.Ordinal);
        Assert.Contains("twice", Assert.Throws<FormatException>(() => DatacenterShares.Parse("a=1,a=2")).Message, StringComparison.Ordinal);
    }
}
