using Unitization.DataManager.Communities;
using Unitization.DataManager.Placement;

namespace Unitization.DataManager.Tests.Placement;

public class NeighbourhoodMilpTests
{
    [Theory]
    [InlineData(1, 2, false)]
    [InlineData(2, 3, false)]
    [InlineData(3, 2, true)]
    [InlineData(4, 3, true)]
    [InlineData(5, 3, false)]
    [InlineData(6, 2, true)]
    public void Solve_RandomNeighbourhood_FindsTheBestPlacementOfTheFreeJobsByBruteForce(int seed, int datacenters, bool pins)
    {
        var problem = TestProblems.Random(seed, jobs: 14, datasets: 9, datacenters: datacenters, eps: 0.3);
        if (pins)
        {
            for (var x = 0; x < problem.DatasetCount; x += 3)
            {
                problem.PinnedPrimary[x] = x % datacenters;
            }
        }

        var state = new PlacementState(problem, ExactPlacementTests.BalancedStart(problem));
        var random = SplitMix64.For(seed, 5, 6);
        var free = Enumerable.Range(0, problem.JobCount).OrderBy(_ => random.Next(1000)).Take(datacenters == 2 ? 8 : 6).ToArray();
        var (optimum, _) = BestOverFree(problem, state.JobDatacenter, free);

        var (placed, optimal) = NeighbourhoodMilp.Solve(problem, state, free, TimeSpan.FromSeconds(30));

        Assert.True(optimal);
        var solved = (int[])state.JobDatacenter.Clone();
        for (var k = 0; k < free.Length; k++)
        {
            solved[free[k]] = placed![k];
        }

        var after = new PlacementState(problem, solved);
        Assert.True(PlacementCost.IsBalanced(problem, after.Load));
        Assert.Equal(optimum, after.Cost().Total, 6);
        // only the free jobs may move
        Assert.All(Enumerable.Range(0, problem.JobCount).Except(free), j => Assert.Equal(state.JobDatacenter[j], solved[j]));
    }

    [Fact]
    public void Solve_NoRoomToMove_KeepsTheFreeJobsWhereTheyAre()
    {
        // two jobs read one source; 2 datacenters 1:1 without slack: each datacenter holds exactly one job, so neither
        // may join the other even though that would save the remote read
        var problem = LineageProblems.Reads([(0, 0, 10), (1, 0, 10)], datacenters: 2, eps: 0);
        var state = new PlacementState(problem, [0, 1]);

        var (placed, optimal) = NeighbourhoodMilp.Solve(problem, state, [1], TimeSpan.FromSeconds(30));

        Assert.True(optimal);
        Assert.Equal([1], placed!);
    }

    [Theory]
    [InlineData(11, 2)]
    [InlineData(12, 3)]
    public void Run_SmallProblem_ReachesTheBruteForceOptimumFromABalancedStart(int seed, int datacenters)
    {
        var problem = TestProblems.Random(seed, jobs: datacenters == 2 ? 12 : 8, datasets: 7, datacenters: datacenters, eps: 0.3);
        var optimum = ExactPlacementTests.BruteForce(problem);
        var state = new PlacementState(problem, ExactPlacementTests.BalancedStart(problem));

        // the first neighbourhood of a lineage this small is the whole of it: once SCIP proves it, the search ends
        // (the budget only bounds a machine too loaded to prove it in time)
        var (solved, _) = NeighbourhoodSearch.Run(problem, state, TimeSpan.FromSeconds(120), seed, TestContext.Current.CancellationToken);

        Assert.True(solved >= 1);
        Assert.True(PlacementCost.IsBalanced(problem, state.Load));
        Assert.Equal(optimum, state.Cost().Total, 6);
    }

    [Theory]
    [InlineData(21)]
    [InlineData(22)]
    public void Run_LargerProblem_NeverWorseThanItsStartAndStaysBalanced(int seed)
    {
        var problem = TestProblems.Random(seed, jobs: 300, datasets: 200, datacenters: 3, eps: 0.1);
        var state = new PlacementState(problem, ExactPlacementTests.BalancedStart(problem));
        var before = state.Cost().Total;

        NeighbourhoodSearch.Run(problem, state, TimeSpan.FromSeconds(1), seed, TestContext.Current.CancellationToken);

        Assert.True(PlacementCost.IsBalanced(problem, state.Load));
        Assert.InRange(state.Cost().Total, 0, before + 1e-6);
        // the state's incremental figures agree with a placement scored from scratch
        Assert.Equal(new PlacementState(problem, (int[])state.JobDatacenter.Clone()).Cost().Total, state.Cost().Total, 1e-6 * Math.Max(1, before));
    }

    // the cheapest balanced placement when only the free jobs move, by enumeration
    private static (double Cost, int[] Placement) BestOverFree(PlacementProblem problem, int[] start, int[] free)
    {
        var dcs = problem.DatacenterCount;
        var best = double.PositiveInfinity;
        int[] bestPlacement = start;
        var total = (long)Math.Pow(dcs, free.Length);
        for (long code = 0; code < total; code++)
        {
            var assignment = (int[])start.Clone();
            var rest = code;
            foreach (var j in free)
            {
                assignment[j] = (int)(rest % dcs);
                rest /= dcs;
            }

            if (!PlacementCost.IsBalanced(problem, PlacementCost.Loads(problem, assignment)))
            {
                continue;
            }

            var cost = new PlacementState(problem, assignment).Cost().Total;
            if (cost < best)
            {
                (best, bestPlacement) = (cost, assignment);
            }
        }

        return (best, bestPlacement);
    }
}
