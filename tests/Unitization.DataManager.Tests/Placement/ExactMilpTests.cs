using Unitization.DataManager.Placement;

namespace Unitization.DataManager.Tests.Placement;

public class ExactMilpTests
{
    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 3)]
    [InlineData(3, 2)]
    [InlineData(4, 3)]
    [InlineData(5, 2)]
    [InlineData(6, 2)]
    public void Solve_SmallProblems_FindsTheBruteForceOptimumAndProvesIt(int seed, int datacenters)
    {
        var problem = TestProblems.Random(seed, jobs: datacenters == 2 ? 12 : 8, datasets: 7, datacenters: datacenters, eps: 0.3);
        var optimum = ExactPlacementTests.BruteForce(problem);

        var outcome = ExactMilp.Solve(problem, ExactPlacementTests.Identity(problem), problem.JobCount, ExactPlacementTests.BalancedStart(problem),
            TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.True(outcome.Optimal, outcome.Status);
        var state = new PlacementState(problem, outcome.JobDatacenter!);
        Assert.True(PlacementCost.IsBalanced(problem, state.Load));
        Assert.Equal(optimum, state.Cost().Total, 6);
        // the program's objective is the engine's score of the placement it returns: the same cost model
        Assert.Equal(state.Cost().Total, outcome.Objective, 1e-6 * Math.Max(1, optimum));
        Assert.InRange(outcome.LowerBound, optimum * (1 - 1e-5), optimum + 1e-6);
    }

    [Fact]
    public void Solve_PinnedPrimaries_KeepsThemAndMatchesBruteForce()
    {
        var problem = TestProblems.Random(7, jobs: 10, datasets: 6, datacenters: 2, eps: 0.3);
        for (var x = 0; x < problem.DatasetCount; x += 2)
        {
            problem.PinnedPrimary[x] = 1;
        }

        var optimum = ExactPlacementTests.BruteForce(problem);
        var outcome = ExactMilp.Solve(problem, ExactPlacementTests.Identity(problem), problem.JobCount, ExactPlacementTests.BalancedStart(problem),
            TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.True(outcome.Optimal, outcome.Status);
        var state = new PlacementState(problem, outcome.JobDatacenter!);
        Assert.Equal(optimum, state.Cost().Total, 6);
        Assert.Equal(state.Cost().Total, outcome.Objective, 1e-6 * Math.Max(1, optimum));
        Assert.All(Enumerable.Range(0, problem.DatasetCount).Where(x => x % 2 == 0), x => Assert.Equal(1, state.Primary[x]));
    }

    [Fact]
    public void Solve_HubTooBigForOneDatacenter_PaysOneCopyByHand()
    {
        // jobs 0-2 read source 0 (10 bytes each), job 3 reads source 1 (10); 2 datacenters 1:1 without slack hold two
        // jobs each, so one reader of source 0 runs away from its primary: a replica (copy cost: the most one job reads,
        // 10) or one remote read (10). Optimum 10.
        var problem = LineageProblems.Reads([(0, 0, 10), (1, 0, 10), (2, 0, 10), (3, 1, 10)], datacenters: 2, eps: 0);

        var outcome = ExactMilp.Solve(problem, ExactPlacementTests.Identity(problem), problem.JobCount, [0, 0, 1, 1],
            TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.True(outcome.Optimal, outcome.Status);
        Assert.Equal(10, outcome.Objective, 6);
        Assert.Equal(10, new PlacementState(problem, outcome.JobDatacenter!).Cost().Total, 6);
        Assert.InRange(outcome.LowerBound, 10 * (1 - 1e-5), 10 + 1e-6);
    }

    [Theory]
    [InlineData(41, 2)]
    [InlineData(42, 3)]
    public void Place_LargerProblems_BoundAtMostTheBruteForceOptimumAtMostThePlan(int seed, int datacenters)
    {
        var problem = TestProblems.Random(seed, jobs: datacenters == 2 ? 14 : 9, datasets: 8, datacenters: datacenters, eps: 0.2);
        var optimum = ExactPlacementTests.BruteForce(problem);

        var result = PlacementEngine.Place(problem, new PlacementOptions(seed, SolverSeconds: 5), cancellationToken: TestContext.Current.CancellationToken);

        Assert.InRange(result.LowerBound, 0, optimum * (1 + 1e-9));
        Assert.InRange(optimum, 0, result.Figures.Cost.Total + 1e-6);
    }
}
