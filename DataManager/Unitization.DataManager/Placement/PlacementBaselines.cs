namespace Unitization.DataManager.Placement;

/// <summary>The baselines every plan is compared with; both get primaries and replicas by the same rules as the plan.</summary>
internal static class PlacementBaselines
{
    /// <summary>The hash baseline: each job to a datacenter by a stable hash of its name, weighted by share.</summary>
    internal static int[] Hash(PlacementProblem problem)
    {
        var assignment = new int[problem.JobCount];
        for (var j = 0; j < problem.JobCount; j++)
        {
            var job = problem.Lineage.Jobs[j];
            var unit = (Fnv1a(job.Namespace + "/" + job.Name) >> 11) * (1.0 / (1UL << 53));
            var d = 0;
            var cumulative = problem.Shares[0];
            while (unit >= cumulative && d < problem.DatacenterCount - 1)
            {
                d++;
                cumulative += problem.Shares[d];
            }

            assignment[j] = d;
        }

        return assignment;
    }

    /// <summary>The DAG baseline: every scheduler DAG whole in one datacenter, largest first into the roomiest.</summary>
    internal static int[] Dag(PlacementProblem problem)
    {
        var assignment = new int[problem.JobCount];
        var remaining = (double[])problem.Capacity.Clone();
        var dags = Enumerable.Range(0, problem.JobCount)
            .GroupBy(j => problem.Lineage.Dags[j], StringComparer.Ordinal)
            .Select(g => g.ToArray())
            .OrderByDescending(g => PlacementEngine.LoadOf(problem, g))
            .ThenBy(g => g[0]);
        foreach (var dag in dags)
        {
            var d = Enumerable.Range(0, problem.DatacenterCount).MaxBy(i => problem.Capacity[i] > 0 ? remaining[i] / problem.Capacity[i] : 0);
            remaining[d] -= PlacementEngine.LoadOf(problem, dag);
            foreach (var j in dag)
            {
                assignment[j] = d;
            }
        }

        return assignment;
    }

    private static ulong Fnv1a(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var ch in text)
        {
            hash = (hash ^ ch) * 1099511628211UL;
        }

        hash ^= hash >> 33; // finalizer (MurmurHash3 fmix64): FNV's high bits mix poorly on short names
        hash *= 0xFF51AFD7ED558CCDUL;
        hash ^= hash >> 33;
        return hash;
    }
}
