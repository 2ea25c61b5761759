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

    [Fact]
    public void Run_TwoTiedDagsOnTheWrongSides_TradesThem()
    {
        // DAG x (jobs 0, 1) in dc0 reads source 0 (5 a day), pinned in dc1; DAG y (jobs 2, 3) in dc1 reads source 3 (10),
        // pinned in dc0; tables 1 (0 -> 1), 2 (1 -> 2) and 4 (2 -> 3) carry 20 each, so the four are tied; each job also
        // writes an unread table that brings its load to 50 (against 110 a datacenter: two jobs a side). As they start
        // they cost 35, traded 20. Every job in dc0 costs 5 and in dc1 10, both overfilling, and no balanced placement
        // is below the line between them: no price balances the cut; any one job forced across takes the rest along;
        // the cheapest moves per load off dc0 (jobs 0 and 3) give 40. Moved whole, one DAG leaves the other a cut to
        // the trade
        var problem = LineageProblems.ReadsAndWrites(
            [(0, 0, 5), (1, 1, 20), (2, 2, 20), (2, 3, 10), (3, 4, 20)],
            [(0, 1, 20), (1, 2, 20), (2, 4, 20), (0, 5, 25), (1, 6, 10), (3, 7, 30)],
            datacenters: 2, eps: 0.1, dags: ["x", "x", "y", "y"]);
        problem.PinnedPrimary[0] = 1;
        problem.PinnedPrimary[3] = 0;
        int[] start = [0, 0, 1, 1];
        Assert.Equal(35, new PlacementState(problem, [.. start]).Cost().Total, 9);
        Assert.Equal(20, ExactPlacementTests.BruteForce(problem), 9);
        for (var seed = 0; seed < 8; seed++)
        {
            var state = new PlacementState(problem, [.. start]);
            var (placed, balanced, forced) = new FlowNeighbourhood(problem, seed).Solve(state, [0, 1, 2, 3], 0, 1, pierce: true);
            Assert.False(balanced);
            Assert.Null(forced);
            for (var j = 0; j < 4; j++)
            {
                state.Move(j, placed[j]);
            }

            FlowNeighbourhood.Rebalance(problem, state, [0, 1, 2, 3], 0, 1);
            state.ReassignPrimaries();
            Assert.True(state.Cost().Total > 35, "the cut, rebalanced, already saves");
        }

        var searched = new PlacementState(problem, [.. start]);

        NeighbourhoodSearch.Run(problem, searched, TimeSpan.FromSeconds(120), 5, TestContext.Current.CancellationToken);

        Assert.Equal([1, 1, 0, 0], searched.JobDatacenter);
        Assert.Equal(20, searched.Cost().Total, 9);
    }

    [Theory]
    [InlineData(41)]
    [InlineData(42)]
    [InlineData(43)]
    public void Run_ThreeDatacenters_LateAcceptanceEndsCheaperThanDescent(int seed)
    {
        // at 3 datacenters a balanced cut between two often needs load moved out of one of them first, to the third,
        // which costs more on its own: descent stops before it, late acceptance takes it and goes on (each walk ends by
        // Patience, not by the budget, so both are the same every run)
        var problem = TestProblems.Random(seed, jobs: 300, datasets: 200, datacenters: 3, eps: 0.1);
        var ct = TestContext.Current.CancellationToken;
        var descent = new PlacementState(problem, ExactPlacementTests.BalancedStart(problem));
        NeighbourhoodSearch.Run(problem, descent, TimeSpan.FromSeconds(120), seed, ct, lateAcceptance: 1);
        var late = new PlacementState(problem, ExactPlacementTests.BalancedStart(problem));

        NeighbourhoodSearch.Run(problem, late, TimeSpan.FromSeconds(120), seed, ct);

        Assert.True(late.Cost().Total < descent.Cost().Total, $"late acceptance {late.Cost().Total}, descent {descent.Cost().Total}");
        Assert.True(PlacementCost.IsBalanced(problem, late.Load));
        // the walk ends on the cheapest placement it passed through, its incremental figures those of a fresh score
        Assert.Equal(new PlacementState(problem, (int[])late.JobDatacenter.Clone()).Cost().Total, late.Cost().Total, 1e-6 * late.Cost().Total);
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
