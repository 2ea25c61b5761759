using Unitization.DataManager.Placement;

namespace Unitization.DataManager.Tests.Placement;

public class GroupSwapsTests
{
    [Fact]
    public void Pass_TwoGroupsEachWithAJobAway_ExchangesThemWhereNoSingleMoveFits()
    {
        // jobs 0 and 1 read source 0, jobs 2 and 3 source 1 (10 bytes each); 2 datacenters 1:1 without slack hold two
        // jobs each. Start: 0 and 2 in dc0, 1 and 3 in dc1 (each source read in both: 10 + 10). No single move fits;
        // exchanging job 1 and job 2 puts each source's readers together: cost 0.
        var problem = LineageProblems.Reads([(0, 0, 10), (1, 0, 10), (2, 1, 10), (3, 1, 10)], datacenters: 2, eps: 0);
        var state = new PlacementState(problem, [0, 1, 0, 1]);
        Assert.Equal(20, state.Cost().Total, 6);
        Assert.All(Enumerable.Range(0, 4), j => Assert.False(state.Fits(j, 1 - state.JobDatacenter[j])));

        var saved = GroupSwaps.Pass(problem, state, [[0], [1], [2], [3]]);

        Assert.Equal(20, saved, 6);
        Assert.Equal(0, state.Cost().Total, 6);
        Assert.True(PlacementCost.IsBalanced(problem, state.Load));
        Assert.Equal(state.JobDatacenter[0], state.JobDatacenter[1]);
        Assert.Equal(state.JobDatacenter[2], state.JobDatacenter[3]);
    }

    [Theory]
    [InlineData(51, 2)]
    [InlineData(52, 3)]
    public void Pass_RandomProblems_NeverRaisesCostOrBreaksBalance(int seed, int datacenters)
    {
        var problem = TestProblems.Random(seed, jobs: 80, datasets: 50, datacenters: datacenters, eps: 0.1);
        var start = ExactPlacementTests.BalancedStart(problem);
        var state = new PlacementState(problem, start);
        var before = state.Cost().Total;
        var groups = Enumerable.Range(0, 8).Select(g => Enumerable.Range(0, problem.JobCount).Where(j => j % 8 == g).ToArray()).ToList();

        var saved = GroupSwaps.Pass(problem, state, groups);

        Assert.True(PlacementCost.IsBalanced(problem, state.Load));
        Assert.InRange(saved, 0, before);
        Assert.Equal(before - saved, state.Cost().Total, 6);
        Assert.Equal(state.Cost().Total, PlacementCost.Evaluate(problem, state.JobDatacenter, state.Primary, state.Replicas()).Total, 6);
    }
}
