namespace Unitization.DataManager.Placement;

/// <summary>
/// Refinement passes until one saves nothing (at most <c>passes</c>): a Fiduccia-Mattheyses pass over single jobs,
/// each group's move as a whole, each DAG's part in a datacenter as a whole (<see cref="DagGroups"/>), and with swaps
/// the exchanges of <see cref="GroupSwaps"/> among groups and among DAG parts; primaries re-chosen after each pass.
/// </summary>
internal static class RefinementPasses
{
    public static void Run(PlacementProblem problem, PlacementState state, List<int[]> groups, int passes, bool swaps, List<int[]> dags, int uphill)
    {
        for (var pass = 0; pass < passes; pass++)
        {
            var saved = FiducciaMattheyses.Pass(problem, state, uphill);
            foreach (var group in groups)
            {
                saved += PlacementEngine.TryMoveGroup(problem, state, group);
            }

            saved += DagGroups.MoveParts(problem, state, dags);
            // each list's groups are disjoint, as a swap pass needs
            saved += swaps ? GroupSwaps.Pass(problem, state, groups) + (dags.Count > 0 ? GroupSwaps.Pass(problem, state, dags) : 0) : 0;
            saved += state.ReassignPrimaries();
            if (saved <= 1e-9 * Math.Max(1, problem.TotalLoad))
            {
                break;
            }
        }
    }
}
