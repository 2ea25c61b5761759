using Unitization.DataManager.Placement;

namespace Unitization.DataManager.Tests.Placement;

public class DagGroupsTests
{
    [Fact]
    public void MoveParts_DagAwayFromItsPinnedSource_MovesWholeWhereNoSingleMoveSaves()
    {
        // DAG a (jobs 0, 1) reads source 0, pinned in dc0, 10 bytes each; DAG b (jobs 2, 3) reads source 1, pinned in
        // dc1. Start: DAG a in dc1 and DAG b in dc0: each source has a replica (10 each). Moving one job of a alone
        // saves nothing (its partner keeps the replica); the whole part saves its replica.
        var problem = LineageProblems.Reads([(0, 0, 10), (1, 0, 10), (2, 1, 10), (3, 1, 10)], datacenters: 2, eps: 1, dags: ["a", "a", "b", "b"]);
        problem.PinnedPrimary[0] = 0;
        problem.PinnedPrimary[1] = 1;
        var state = new PlacementState(problem, [1, 1, 0, 0]);
        Assert.Equal(20, state.Cost().Total, 6);
        Assert.True(state.MoveDelta(0, 0) >= 0);

        var dags = DagGroups.Of(problem);
        var split = new PlacementState(problem, [1, 0, 0, 0]);
        var saved = DagGroups.MoveParts(problem, split, dags);

        Assert.Equal(2, dags.Count);
        Assert.Equal(10, saved, 6);
        Assert.Equal(split.JobDatacenter[0], split.JobDatacenter[1]);
        Assert.Equal(10, split.Cost().Total, 6);
    }

    [Fact]
    public void MoveParts_MoveThatBreaksBalance_IsNotMade()
    {
        // the same, without slack: each datacenter holds two jobs, so DAG a's part in dc1 cannot join the rest
        var problem = LineageProblems.Reads([(0, 0, 10), (1, 0, 10), (2, 1, 10), (3, 1, 10)], datacenters: 2, eps: 0, dags: ["a", "a", "b", "b"]);
        problem.PinnedPrimary[0] = 0;
        problem.PinnedPrimary[1] = 1;
        var state = new PlacementState(problem, [1, 0, 0, 1]);

        var saved = DagGroups.MoveParts(problem, state, DagGroups.Of(problem));

        Assert.Equal(0, saved);
        Assert.Equal([1, 0, 0, 1], state.JobDatacenter);
        Assert.True(PlacementCost.IsBalanced(problem, state.Load));
    }

    [Fact]
    public void Assign_GroupsReadingPinnedSources_GoWhereTheirSourceIs()
    {
        // job 0 reads source 0 pinned in dc1, job 1 source 1 pinned in dc0: with room everywhere each goes to its source
        var problem = LineageProblems.Reads([(0, 0, 10), (1, 1, 10)], datacenters: 2, eps: 1);
        problem.PinnedPrimary[0] = 1;
        problem.PinnedPrimary[1] = 0;

        var (assignment, _) = PlacementEngine.Assign(problem, [[0], [1]], seed: 1);

        Assert.Equal([1, 0], assignment);
    }
}
