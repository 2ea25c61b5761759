namespace Unitization.DataManager.Placement;

/// <summary>
/// The scheduler's DAGs as groups for refinement: a DAG's jobs usually share its tables, so its part in one
/// datacenter often saves only by moving whole to where the rest of the DAG runs, which neither single moves nor the
/// communities (a DAG is often several of them) can do.
/// </summary>
internal static class DagGroups
{
    /// <summary>The jobs of each DAG with more than one job.</summary>
    public static List<int[]> Of(PlacementProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var dags = problem.Lineage.Dags;
        var byName = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var j = 0; j < problem.JobCount && j < dags.Length; j++)
        {
            if (!byName.TryGetValue(dags[j], out var jobs))
            {
                byName[dags[j]] = jobs = [];
            }

            jobs.Add(j);
        }

        return [.. byName.Values.Where(l => l.Count > 1).Select(l => l.ToArray())];
    }

    /// <summary>Each DAG's part in each datacenter tries a move as a whole; returns the bytes per day saved.</summary>
    public static double MoveParts(PlacementProblem problem, PlacementState state, List<int[]> dags)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(dags);
        double saved = 0;
        var part = new List<int>();
        foreach (var dag in dags)
        {
            for (var d = 0; d < problem.DatacenterCount; d++)
            {
                part.Clear();
                foreach (var j in dag)
                {
                    if (state.JobDatacenter[j] == d)
                    {
                        part.Add(j);
                    }
                }

                if (part.Count > 0 && part.Count < dag.Length)
                {
                    saved += PlacementEngine.TryMoveGroup(problem, state, [.. part]);
                }
            }
        }

        return saved;
    }
}
