using Unitization.DataManager.Hosting;
using Unitization.DataManager.Placement;
using Unitization.DataManager.Plans;
using Unitization.DataManager.Service;
using Unitization.DataManager.Tests.Placement;

namespace Unitization.DataManager.Tests.Service;

public class MoveEstimatesTests
{
    [Fact]
    public void Estimate_RunsInElsewhere_LeavesThePlanCostBitIdentical()
    {
        var problem = PlacementStateTests.Fractional(3);
        var plan = PlanBuilder.Build(PlacementEngine.Place(problem, new PlacementOptions(1, SolverSeconds: 0.5), cancellationToken: TestContext.Current.CancellationToken), DateTimeOffset.UnixEpoch, 0);
        var options = new DataManagerOptions
        {
            Datacenters = [.. problem.Datacenters.Select((id, d) => new PlacementDatacenterOptions { Id = id, Share = 1.0 + d })],
            Eps = 0.1,
        };
        var estimates = MoveEstimates.For(new PlanIndex(plan, problem.Lineage), options);
        var before = estimates.PlanCost();
        var first = estimates.Estimate("airflow/dag0.task1");
        foreach (var job in problem.Lineage.Jobs)
        {
            foreach (var dc in problem.Datacenters)
            {
                var estimate = estimates.Estimate($"{job.Namespace}/{job.Name}", dc);
                Assert.NotNull(estimate);
                Assert.Equal(dc, estimate.Datacenter);
            }
        }

        var after = estimates.PlanCost();
        Assert.Equal(BitConverter.DoubleToInt64Bits(before.RemoteReads), BitConverter.DoubleToInt64Bits(after.RemoteReads));
        Assert.Equal(BitConverter.DoubleToInt64Bits(before.RemoteWrites), BitConverter.DoubleToInt64Bits(after.RemoteWrites));
        Assert.Equal(BitConverter.DoubleToInt64Bits(before.Replication), BitConverter.DoubleToInt64Bits(after.Replication));
        var again = estimates.Estimate("airflow/dag0.task1");
        Assert.Equal(first!.CrossBytesPerDay, again!.CrossBytesPerDay);
        Assert.Equal(first.Moves, again.Moves);
    }
}
