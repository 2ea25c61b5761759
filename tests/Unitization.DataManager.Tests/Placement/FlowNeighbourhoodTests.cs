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

        var (placed, balanced) = new FlowNeighbourhood(problem).Solve(state, free, a, b);

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
        var random = SplitMix64.For(seed, 8, 9);
        var rebalanced = 0;
        for (var round = 0; round < 20; round++)
        {
            var state = new PlacementState(problem, (int[])start.Clone());
            var a = random.Next(datacenters);
            var b = (a + 1 + random.Next(datacenters - 1)) % datacenters;
            var free = Enumerable.Range(0, problem.JobCount)
                .Where(j => (state.JobDatacenter[j] == a || state.JobDatacenter[j] == b) && random.NextDouble() < 0.6).ToArray();

            var (placed, balanced) = flow.Solve(state, free, a, b);
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

        var (placed, balanced) = new FlowNeighbourhood(problem).Solve(state, [1], 0, 1);

        Assert.True(balanced);
        Assert.Equal([1], placed);
    }

    [Fact]
    public void Solve_RoomToJoin_MovesTheReaderToTheTable()
    {
        var problem = LineageProblems.Reads([(0, 0, 10), (1, 0, 10)], datacenters: 2, eps: 1);
        var state = new PlacementState(problem, [0, 1]);

        var (placed, balanced) = new FlowNeighbourhood(problem).Solve(state, [1], 0, 1);

        Assert.True(balanced);
        Assert.Equal([0], placed);
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
