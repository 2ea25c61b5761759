namespace Unitization.DataManager.Placement;

/// <summary>
/// Moves of whole groups that balance forbids alone: a group (a refined community's jobs in one datacenter) whose move
/// to another datacenter saves but overfills it goes there when a group of that datacenter, heavy enough to make
/// room, moves back in exchange and the pair saves together (the best such partner is taken). Single-job passes
/// cannot make these exchanges: each half alone breaks the balance or costs more than it saves.
/// </summary>
internal static class GroupSwaps
{
    /// <summary>One pass over every group; returns the bytes per day saved.</summary>
    public static double Pass(PlacementProblem problem, PlacementState state, List<int[]> groups)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(groups);
        var dcs = problem.DatacenterCount;
        if (dcs < 2)
        {
            return 0;
        }

        // the groups split by datacenter: units wholly in one datacenter
        var units = new List<int[]>();
        var parts = new List<int>[dcs];
        foreach (var group in groups)
        {
            foreach (var j in group)
            {
                (parts[state.JobDatacenter[j]] ??= []).Add(j);
            }

            for (var d = 0; d < dcs; d++)
            {
                if (parts[d] is { Count: > 0 } part)
                {
                    units.Add([.. part]);
                    part.Clear();
                }
            }
        }

        var load = units.Select(u => PlacementEngine.LoadOf(problem, u)).ToArray();
        var at = units.Select(u => state.JobDatacenter[u[0]]).ToArray();
        var byLoad = Enumerable.Range(0, units.Count).OrderBy(u => load[u]).ToArray();
        var slack = 1e-9 * Math.Max(1, problem.TotalLoad);
        double saved = 0;
        for (var g = 0; g < units.Count; g++)
        {
            var from = at[g];
            for (var to = 0; to < dcs && at[g] == from; to++)
            {
                if (to == from)
                {
                    continue;
                }

                var there = PlacementEngine.MoveAll(state, units[g], to);
                if (!(there < -slack))
                {
                    PlacementEngine.MoveAll(state, units[g], from);
                    continue;
                }

                // the smallest room the partner must make, and the room it finds back home
                var over = state.Load[to] - (problem.Capacity[to] * (1 + 1e-9));
                int partner = -1;
                var best = -slack;
                if (over <= 0)
                {
                    partner = g; // fits alone (a group move the plain pass missed)
                    best = there;
                }
                else
                {
                    // the lightest units heavy enough to make the room, at most MaxPartners of them tried
                    var tried = 0;
                    for (var k = LowerBound(byLoad, load, over); k < byLoad.Length && tried < MaxPartners; k++)
                    {
                        var h = byLoad[k];
                        if (at[h] != to || h == g || state.Load[from] + load[h] > problem.Capacity[from] * (1 + 1e-9))
                        {
                            continue;
                        }

                        tried++;

                        var back = PlacementEngine.MoveAll(state, units[h], from);
                        PlacementEngine.MoveAll(state, units[h], to);
                        if (there + back < best)
                        {
                            (partner, best) = (h, there + back);
                        }
                    }
                }

                if (partner < 0)
                {
                    PlacementEngine.MoveAll(state, units[g], from);
                    continue;
                }

                if (partner != g)
                {
                    PlacementEngine.MoveAll(state, units[partner], from);
                    at[partner] = from;
                }

                at[g] = to;
                saved -= best;
            }
        }

        return saved;
    }

    // Partners tried per group: the lightest that make the room are the likeliest to fit back and to save.
    private const int MaxPartners = 24;

    // the first position in byLoad whose unit is at least that heavy
    private static int LowerBound(int[] byLoad, double[] load, double least)
    {
        int lo = 0, hi = byLoad.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (load[byLoad[mid]] < least)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
