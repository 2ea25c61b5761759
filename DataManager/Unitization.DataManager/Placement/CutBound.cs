namespace Unitization.DataManager.Placement;

/// <summary>
/// A proven lower bound on every balanced placement's cost from minimum cuts, balance-aware. Two datacenters: the
/// Lagrangian bound of <see cref="FlowNeighbourhood.LowerBound"/>. More: for each datacenter d, the problem with the
/// others merged into one (capacity the sum of theirs, pins kept on their side) is bounded so; merging two datacenters
/// makes no placement dearer, so each such bound holds for the whole problem. And what a placement pays is counted in
/// at most two of the merged problems (a remote read or write in the two that part its datacenters; a table held in h
/// datacenters costs h - 1 copies, and at most h over all the merged problems, h &lt;= 2(h - 1)), so half their sum is
/// a bound as well. The larger of the two is returned.
/// </summary>
internal static class CutBound
{
    public static double Compute(PlacementProblem problem, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (problem.DatacenterCount < 2 || problem.JobCount == 0)
        {
            return 0;
        }

        if (problem.DatacenterCount == 2)
        {
            return new FlowNeighbourhood(problem).LowerBound(cancellationToken);
        }

        double largest = 0, sum = 0;
        for (var d = 0; d < problem.DatacenterCount; d++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var merged = new PlacementProblem(problem.Lineage, [problem.Datacenters[d], "others"], [problem.Shares[d], 1 - problem.Shares[d]], problem.Eps);
            for (var x = 0; x < problem.DatasetCount; x++)
            {
                var pin = problem.PinnedPrimary[x];
                merged.PinnedPrimary[x] = pin < 0 ? -1 : pin == d ? 0 : 1;
            }

            var bound = new FlowNeighbourhood(merged).LowerBound(cancellationToken);
            largest = Math.Max(largest, bound);
            sum += bound;
        }

        return Math.Max(largest, sum / 2);
    }
}
