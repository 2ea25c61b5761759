using Unitization.DataManager.Lineage;
using Unitization.DataManager.Placement;

namespace Unitization.DataManager.Tests.Placement;

public class FiducciaMattheysesTests
{
    // Jobs a and b (dc0) each read the big table y, written by job p in dc1 (and read by r there, which writes w that p
    // reads), and the small table z, written by job q in dc0. y's replica in dc0 costs its copy cost (100) as long as
    // either of them reads it there; moving one of them alone to dc1 saves nothing on y and adds a remote read of z
    // (1); moving p or r alone adds a remote read of w (5), moving q two remote reads of z: every single move costs
    // more, primaries and replicas re-chosen. Moving both a and b saves y's copy (100) for two remote reads of z (2).
    private static PlacementProblem TwoJobsThatOnlySaveTogether()
    {
        var snapshot = new LineageSnapshot
        {
            Jobs = [new JobRef("airflow", "a"), new JobRef("airflow", "b"), new JobRef("airflow", "p"), new JobRef("airflow", "q"), new JobRef("airflow", "r")],
            Dags = ["a", "b", "p", "q", "r"],
            Runs = [1, 1, 1, 1, 1],
            Datasets = [new DatasetRef("hive", "y"), new DatasetRef("hive", "z"), new DatasetRef("hive", "w")],
            ReadJob = [0, 1, 0, 1, 4, 2],
            ReadDataset = [0, 0, 1, 1, 0, 2],
            ReadBytesPerDay = [500, 500, 1, 1, 500, 5],
            WriteJob = [2, 3, 4],
            WriteDataset = [0, 1, 2],
            WriteBytesPerDay = [100, 50, 10],
            Days = 1,
        };
        return new PlacementProblem(snapshot, ["dc0", "dc1"], [1, 1], eps: 1.0);
    }

    [Fact]
    public void Pass_WhereEverySingleMoveCostsMore_FindsThePairThatSaves()
    {
        var problem = TwoJobsThatOnlySaveTogether();
        var state = new PlacementState(problem, [0, 0, 1, 0, 1]);
        Assert.Equal(1, state.Primary[0]);
        for (var j = 0; j < problem.JobCount; j++)
        {
            var other = 1 - state.JobDatacenter[j];
            Assert.True(state.MoveDelta(j, other) > 0, $"job {j}: a greedy single move would already save");
        }

        var before = state.Cost().Total;
        var saved = FiducciaMattheyses.Pass(problem, state, maxUphill: 5);
        var after = state.Cost().Total;
        Assert.Equal(before - after, saved, 6);
        Assert.True(after < before, $"cost {before} -> {after}");
        Assert.Equal(1, state.JobDatacenter[0]);
        Assert.Equal(1, state.JobDatacenter[1]);
    }

    [Fact]
    public void Pass_WithNothingToGain_RollsEveryTentativeMoveBack()
    {
        var problem = TwoJobsThatOnlySaveTogether();
        var state = new PlacementState(problem, [1, 1, 1, 1, 1]); // everyone together: nothing crosses
        var placement = (int[])state.JobDatacenter.Clone();
        var before = state.Cost().Total;
        Assert.Equal(0, FiducciaMattheyses.Pass(problem, state, maxUphill: 5));
        Assert.Equal(placement, state.JobDatacenter);
        Assert.Equal(before, state.Cost().Total, 9);
    }

    [Fact]
    public void Pass_UnderTightBalance_NeverLeavesADatacenterOverItsLimit()
    {
        var problem = TestProblems.Random(31, jobs: 120, datasets: 60, datacenters: 3, eps: 0.05);
        var placed = PlacementEngine.Place(problem, new PlacementOptions(31, SolverSeconds: 0.5), cancellationToken: TestContext.Current.CancellationToken);
        var state = new PlacementState(problem, (int[])placed.JobDatacenter.Clone());
        var before = state.Cost().Total;
        FiducciaMattheyses.Pass(problem, state, maxUphill: 20);
        Assert.True(PlacementCost.IsBalanced(problem, PlacementCost.Loads(problem, state.JobDatacenter)));
        Assert.True(state.Cost().Total <= before + 1e-6);
    }
}
