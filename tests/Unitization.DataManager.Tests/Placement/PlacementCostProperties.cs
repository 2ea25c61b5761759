using FsCheck;
using FsCheck.Fluent;
using Unitization.DataManager.Placement;

namespace Unitization.DataManager.Tests.Placement;

public class PlacementCostProperties
{
    private static readonly Arbitrary<int> Seeds = Arb.From(Gen.Choose(1, 1_000_000));

    [Fact]
    public void MoveDelta_MovingNothing_ChangesNothing() =>
        Prop.ForAll(Seeds, seed =>
        {
            var problem = TestProblems.Random(seed);
            var state = new PlacementState(problem, TestProblems.RandomAssignment(problem, seed));
            var before = PlacementCost.Evaluate(problem, state.JobDatacenter, state.Primary, state.Replicas());
            var deltas = Enumerable.Range(0, problem.JobCount).Select(j => state.MoveDelta(j, state.JobDatacenter[j]));
            state.Move(0, state.JobDatacenter[0]);
            var after = PlacementCost.Evaluate(problem, state.JobDatacenter, state.Primary, state.Replicas());
            return deltas.All(d => d == 0) && before == after;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Evaluate_Total_IsTheSumOfItsParts() =>
        Prop.ForAll(Seeds, seed =>
        {
            var problem = TestProblems.Random(seed);
            var state = new PlacementState(problem, TestProblems.RandomAssignment(problem, seed));
            var cost = PlacementCost.Evaluate(problem, state.JobDatacenter, state.Primary, state.Replicas());
            return Math.Abs(cost.Total - (cost.RemoteReads + cost.RemoteWrites + cost.Replication)) < 1e-9
                && cost.RemoteReads >= 0 && cost.RemoteWrites >= 0 && cost.Replication >= 0;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void State_Cost_EqualsEvaluationFromScratch() =>
        Prop.ForAll(Seeds, seed =>
        {
            var problem = TestProblems.Random(seed);
            var state = new PlacementState(problem, TestProblems.RandomAssignment(problem, seed));
            var incremental = state.Cost();
            var scratch = PlacementCost.Evaluate(problem, state.JobDatacenter, state.Primary, state.Replicas());
            return Math.Abs(incremental.Total - scratch.Total) < 1e-6
                && Math.Abs(incremental.RemoteWrites - scratch.RemoteWrites) < 1e-6;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void MoveDelta_EqualsTheChangeInTotalCost() =>
        Prop.ForAll(Seeds, seed =>
        {
            var problem = TestProblems.Random(seed);
            var state = new PlacementState(problem, TestProblems.RandomAssignment(problem, seed));
            var job = seed % problem.JobCount;
            var to = (state.JobDatacenter[job] + 1 + (seed % (problem.DatacenterCount - 1))) % problem.DatacenterCount;
            var before = state.Cost().Total;
            var delta = state.MoveDelta(job, to);
            state.Move(job, to);
            return Math.Abs(state.Cost().Total - before - delta) < 1e-6;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Evaluate_HandComputedExample_MatchesTheCostModel()
    {
        // job 0 (dc0) reads db.t0 (100/day) and writes db.t1 (40/day); job 1 (dc1) reads db.t1 (30/day)
        var snapshot = new DataManager.Lineage.LineageSnapshot
        {
            Jobs = [new("a", "j0"), new("a", "j1")], Dags = ["a", "a"], Runs = [1, 1],
            Datasets = [new("h", "db.t0"), new("h", "db.t1")],
            ReadJob = [0, 1], ReadDataset = [0, 1], ReadBytesPerDay = [100, 30],
            WriteJob = [0], WriteDataset = [1], WriteBytesPerDay = [40], Days = 1,
        };
        var problem = new PlacementProblem(snapshot, ["dc0", "dc1"], [1, 1], 0.1);
        // t1 primary dc0: job 1 reads 30 remotely (30 <= copy cost 40: no replica)
        var noReplica = PlacementCost.Evaluate(problem, [0, 1], [0, 0], new bool[4]);
        Assert.Equal(new PlacementCost(30, 0, 0), noReplica);
        // with a replica of t1 in dc1 the read is local and the replica costs t1's 40 bytes/day
        var replica = PlacementCost.Evaluate(problem, [0, 1], [0, 0], [false, false, false, true]);
        Assert.Equal(new PlacementCost(0, 0, 40), replica);
        // t1 primary in dc1: job 0's write crosses
        Assert.Equal(new PlacementCost(0, 40, 0), PlacementCost.Evaluate(problem, [0, 1], [0, 1], new bool[4]));
        Assert.Equal([140, 30], PlacementCost.Loads(problem, [0, 1]));
    }
}
