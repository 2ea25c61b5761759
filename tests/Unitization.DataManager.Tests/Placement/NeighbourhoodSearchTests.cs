using Unitization.DataManager.Placement;

namespace Unitization.DataManager.Tests.Placement;

public class NeighbourhoodSearchTests
{
    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public void Run_SmallTwoDatacenterProblemWithRoom_ReachesTheBruteForceOptimum(int seed)
    {
        // a pair this small is freed whole, and with one writer per table and room everywhere the cut is exact
        var problem = TestProblems.Random(seed, jobs: 12, datasets: 7, datacenters: 2, eps: 10, singleWriters: true);
        var optimum = ExactPlacementTests.BruteForce(problem);
        var state = new PlacementState(problem, ExactPlacementTests.BalancedStart(problem));

        // the search ends when neighbourhoods stop saving (the budget only bounds a machine too loaded to get there)
        var (solved, _) = NeighbourhoodSearch.Run(problem, state, TimeSpan.FromSeconds(120), seed, TestContext.Current.CancellationToken);

        Assert.InRange(solved, NeighbourhoodSearch.Patience, 100_000);
        Assert.Equal(optimum, state.Cost().Total, 6);
    }

    [Theory]
    [InlineData(21, 3)]
    [InlineData(22, 3)]
    [InlineData(23, 2)]
    public void Run_LargerProblem_NeverWorseThanItsStartAndStaysBalanced(int seed, int datacenters)
    {
        var problem = TestProblems.Random(seed, jobs: 300, datasets: 200, datacenters: datacenters, eps: 0.1);
        var state = new PlacementState(problem, ExactPlacementTests.BalancedStart(problem));
        var before = state.Cost().Total;

        var (solved, kept) = NeighbourhoodSearch.Run(problem, state, TimeSpan.FromSeconds(1), seed, TestContext.Current.CancellationToken);

        Assert.True(solved >= 1);
        Assert.True(PlacementCost.IsBalanced(problem, state.Load));
        Assert.InRange(state.Cost().Total, 0, before + 1e-6);
        Assert.True(kept == 0 || state.Cost().Total < before, "a kept neighbourhood lowered the cost");
        // the state's incremental figures agree with a placement scored from scratch
        Assert.Equal(new PlacementState(problem, (int[])state.JobDatacenter.Clone()).Cost().Total, state.Cost().Total, 1e-6 * Math.Max(1, before));
    }

    [Theory]
    [InlineData(31, 2, 1)]
    [InlineData(32, 3, 1)]
    [InlineData(31, 2, 2)]
    [InlineData(32, 3, 2)]
    public void RunFromStarts_SearchStallsEarly_TriesTheOtherStartsAndKeepsTheCheapest(int seed, int datacenters, int walkers)
    {
        var problem = TestProblems.Random(seed, jobs: 40, datasets: 25, datacenters: datacenters, eps: 0.3);
        var ct = TestContext.Current.CancellationToken;
        // the first search alone: a lineage this small stalls long before the budget, the same way every time
        var alone = new PlacementState(problem, ExactPlacementTests.BalancedStart(problem));
        NeighbourhoodSearch.Run(problem, alone, TimeSpan.FromSeconds(120), seed, ct);
        var state = new PlacementState(problem, ExactPlacementTests.BalancedStart(problem));
        var asked = new List<long>();

        var (solved, _) = NeighbourhoodSearch.RunFromStarts(problem, ref state, TimeSpan.FromSeconds(120), seed, other =>
        {
            lock (asked)
            {
                asked.Add(other);
            }

            return new PlacementState(problem, ShuffledStart(problem, other));
        }, ct, walkers);

        // side by side, the searches take the starts in no fixed order, but each exactly once
        Assert.Equal(Enumerable.Range(1, NeighbourhoodSearch.MaxStarts).Select(k => (long)seed + k), asked.Order());
        Assert.True(solved >= (NeighbourhoodSearch.MaxStarts + 1) * NeighbourhoodSearch.Patience);
        Assert.True(PlacementCost.IsBalanced(problem, state.Load));
        Assert.InRange(state.Cost().Total, 0, alone.Cost().Total + 1e-6);
    }

    // jobs in a random order, each into the datacenter with the most room left
    private static int[] ShuffledStart(PlacementProblem problem, long seed)
    {
        var random = new Random((int)seed);
        var room = (double[])problem.Capacity.Clone();
        var start = new int[problem.JobCount];
        foreach (var j in Enumerable.Range(0, problem.JobCount).OrderBy(_ => random.Next()))
        {
            var d = Enumerable.Range(0, problem.DatacenterCount).MaxBy(d => room[d]);
            start[j] = d;
            room[d] -= problem.JobLoad[j];
        }

        return start;
    }
}
