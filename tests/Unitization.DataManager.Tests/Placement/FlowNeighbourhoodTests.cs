using Unitization.DataManager.Communities;
using Unitization.DataManager.Placement;

namespace Unitization.DataManager.Tests.Placement;

public class FlowNeighbourhoodTests
{
    [Theory]
    [InlineData(1, 2, false)]
    [InlineData(2, 3, false)]
    [InlineData(3, 2, true)]
    [InlineData(4, 3, true)]
    [InlineData(5, 2, false)]
    [InlineData(6, 3, true)]
    [InlineData(7, 2, true)]
    [InlineData(8, 3, false)]
    public void Solve_RoomForAnyPlacement_FindsTheBestPlacementOfTheFreeJobsBetweenThePairByBruteForce(int seed, int datacenters, bool pins)
    {
        // one writer per table and room for every job anywhere: the cut is the exact model between the two datacenters
        var problem = TestProblems.Random(seed, jobs: 16, datasets: 10, datacenters: datacenters, eps: 10, singleWriters: true);
        if (pins)
        {
            for (var x = 0; x < problem.DatasetCount; x += 3)
            {
                problem.PinnedPrimary[x] = x % datacenters;
            }
        }

        var state = new PlacementState(problem, TestProblems.RandomAssignment(problem, seed));
        var (a, b) = (0, datacenters - 1);
        var random = SplitMix64.For(seed, 5, 6);
        var free = Enumerable.Range(0, problem.JobCount)
            .Where(j => state.JobDatacenter[j] == a || state.JobDatacenter[j] == b)
            .OrderBy(_ => random.Next(1000)).Take(10).ToArray();
        var optimum = BestBetween(problem, state.JobDatacenter, free, a, b);

        var (placed, balanced, _) = new FlowNeighbourhood(problem).Solve(state, free, a, b);

        Assert.True(balanced);
        Assert.All(placed, d => Assert.True(d == a || d == b));
        var solved = (int[])state.JobDatacenter.Clone();
        for (var k = 0; k < free.Length; k++)
        {
            solved[free[k]] = placed[k];
        }

        Assert.Equal(optimum, new PlacementState(problem, solved).Cost().Total, 6);
    }

    [Theory]
    [InlineData(11, 2)]
    [InlineData(12, 3)]
    [InlineData(13, 2)]
    [InlineData(14, 3)]
    public void SolveThenRebalance_TightBalance_BalancedWhereItSaysSo(int seed, int datacenters)
    {
        var problem = TestProblems.Random(seed, jobs: 40, datasets: 25, datacenters: datacenters, eps: 0.05);
        var start = ExactPlacementTests.BalancedStart(problem);
        var flow = new FlowNeighbourhood(problem);
        var rebalanced = 0;
        foreach (var (state, a, b, free) in Neighbourhoods(problem, start, seed, 20))
        {
            var (placed, balanced, _) = flow.Solve(state, free, a, b);
            for (var k = 0; k < free.Length; k++)
            {
                state.Move(free[k], placed[k]);
            }

            Assert.True(!balanced || PlacementCost.IsBalanced(problem, state.Load));
            var after = FlowNeighbourhood.Rebalance(problem, state, free, a, b);

            Assert.Equal(after, PlacementCost.IsBalanced(problem, state.Load));
            Assert.All(Enumerable.Range(0, problem.JobCount).Except(free), j => Assert.Equal(start[j], state.JobDatacenter[j]));
            rebalanced += after ? 1 : 0;
        }

        // the free jobs where they were is balanced: moving jobs off the overfull side nearly always gets back there
        Assert.True(rebalanced >= 15, $"{rebalanced} of 20 placements balanced");
    }

    [Fact]
    public void Solve_NoRoomToMove_KeepsTheFreeJobWhereItIs()
    {
        // two jobs read one source; 2 datacenters 1:1 without slack: each datacenter holds exactly one job, so neither
        // may join the other even though that would save the remote read
        var problem = LineageProblems.Reads([(0, 0, 10), (1, 0, 10)], datacenters: 2, eps: 0);
        var state = new PlacementState(problem, [0, 1]);

        var (placed, balanced, _) = new FlowNeighbourhood(problem).Solve(state, [1], 0, 1);

        Assert.True(balanced);
        Assert.Equal([1], placed);
    }

    [Fact]
    public void Solve_RoomToJoin_MovesTheReaderToTheTable()
    {
        var problem = LineageProblems.Reads([(0, 0, 10), (1, 0, 10)], datacenters: 2, eps: 1);
        var state = new PlacementState(problem, [0, 1]);

        var (placed, balanced, _) = new FlowNeighbourhood(problem).Solve(state, [1], 0, 1);

        Assert.True(balanced);
        Assert.Equal([0], placed);
    }

    [Fact]
    public void Solve_NoPriceBalances_ForcingAJobAcrossFindsTheTrade()
    {
        // jobs 1 and 2 in dcB read source 0 (pinned there); 1 writes table 1, which 2 reads; 2 also reads source 3
        // (pinned in dcB); job 0 (fixed in dcA) reads source 2. Loads 9, 7, 16; each datacenter holds 17.6: both free
        // jobs in dcB overfill it, both in dcA overfill that. The trade (1 in dcA, 2 in dcB) costs 7 (1's remote read of
        // 5, a replica of table 1 for 2); neither free job in dcA costs 13; the trade lies above the line between the
        // two, so no price gives it. Forced across, job 1 takes the trade; job 2 takes job 1 along, which overfills dcA
        var problem = LineageProblems.ReadsAndWrites(
            [(0, 2, 9), (1, 0, 5), (2, 0, 5), (2, 1, 3), (2, 3, 8)], [(1, 1, 2)], datacenters: 2, eps: 0.1);
        problem.PinnedPrimary[0] = 1;
        problem.PinnedPrimary[3] = 1;
        var balanced = 0;
        for (var seed = 0; seed < 16; seed++)
        {
            var state = new PlacementState(problem, [0, 1, 1]);

            var (placed, isBalanced, forced) = new FlowNeighbourhood(problem, seed).Solve(state, [1, 2], 0, 1, pierce: true);

            Assert.Null(forced);
            if (isBalanced)
            {
                Assert.Equal([0, 1], placed);
                balanced++;
            }
        }

        Assert.True(balanced > 0, "no seed forced job 1 across");
        var unforced = new FlowNeighbourhood(problem).Solve(new PlacementState(problem, [0, 1, 1]), [1, 2], 0, 1);
        Assert.False(unforced.Balanced);
        Assert.Equal(7, new PlacementState(problem, [0, 0, 1]).Cost().Total, 9);
        Assert.Equal(13, new PlacementState(problem, [0, 0, 0]).Cost().Total, 9);
    }

    [Theory]
    [InlineData(21, 2)]
    [InlineData(22, 3)]
    [InlineData(23, 2)]
    public void Solve_Pierce_ForcedPlacementIsBalanced(int seed, int datacenters)
    {
        var problem = TestProblems.Random(seed, jobs: 40, datasets: 25, datacenters: datacenters, eps: 0.05);
        var start = ExactPlacementTests.BalancedStart(problem);
        var flow = new FlowNeighbourhood(problem, seed);
        var forcedCount = 0;
        foreach (var (state, a, b, free) in Neighbourhoods(problem, start, seed, 20))
        {
            var (_, _, forced) = flow.Solve(state, free, a, b, pierce: true);

            if (forced is null)
            {
                continue;
            }

            forcedCount++;
            Assert.All(forced, d => Assert.True(d == a || d == b));
            for (var k = 0; k < free.Length; k++)
            {
                state.Move(free[k], forced[k]);
            }

            Assert.True(PlacementCost.IsBalanced(problem, state.Load), "the forced placement overfills a datacenter");
        }

        Assert.True(forcedCount > 0, "no round returned a forced placement");
    }

    // rounds of a random datacenter pair with a random 60 % of its jobs free, each from the start
    private static IEnumerable<(PlacementState State, int A, int B, int[] Free)> Neighbourhoods(PlacementProblem problem, int[] start, int seed, int rounds)
    {
        var random = SplitMix64.For(seed, 8, 9);
        var datacenters = problem.DatacenterCount;
        for (var round = 0; round < rounds; round++)
        {
            var state = new PlacementState(problem, (int[])start.Clone());
            var a = random.Next(datacenters);
            var b = (a + 1 + random.Next(datacenters - 1)) % datacenters;
            var free = Enumerable.Range(0, problem.JobCount)
                .Where(j => (state.JobDatacenter[j] == a || state.JobDatacenter[j] == b) && random.NextDouble() < 0.6).ToArray();
            yield return (state, a, b, free);
        }
    }

    // the cheapest placement when only the free jobs move, each between a and b, by enumeration
    private static double BestBetween(PlacementProblem problem, int[] start, int[] free, int a, int b)
    {
        var best = double.PositiveInfinity;
        for (var code = 0; code < 1 << free.Length; code++)
        {
            var assignment = (int[])start.Clone();
            for (var k = 0; k < free.Length; k++)
            {
                assignment[free[k]] = ((code >> k) & 1) == 0 ? a : b;
            }

            best = Math.Min(best, new PlacementState(problem, assignment).Cost().Total);
        }

        return best;
    }
}
