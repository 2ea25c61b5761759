using Unitization.DataManager.Communities;

namespace Unitization.DataManager.Placement;

/// <summary>
/// Splits a group of jobs too big for any datacenter along its weakest internal cut: Leiden on the group's own
/// subgraph (raising the resolution until it parts) gives sub-communities joined by little data; a part of at most
/// the target load grows from the largest sub-community that fits by adding the one most connected to it.
/// </summary>
internal static class WeakestCut
{
    public static (int[] Fit, int[] Remainder) Split(PlacementProblem problem, int[] jobs, double target, long seed)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(jobs);
        if (!jobs.Any(j => problem.JobLoad[j] <= target))
        {
            return ([], jobs);
        }

        var parts = SubCommunities(problem, jobs, seed);
        var loads = parts.Select(p => PlacementEngine.LoadOf(problem, p)).ToArray();
        var start = Enumerable.Range(0, parts.Count).Where(i => loads[i] <= target).OrderByDescending(i => loads[i]).FirstOrDefault(-1);
        if (start < 0)
        {
            var largest = Enumerable.Range(0, parts.Count).MaxBy(i => loads[i]);
            var (inner, _) = parts.Count > 1 ? Split(problem, parts[largest], target, seed + 1) : SplitInOrder(problem, jobs, target);
            return (inner, Without(jobs, inner));
        }

        var fit = new List<int>(parts[start]);
        var fitLoad = loads[start];
        var used = new bool[parts.Count];
        used[start] = true;
        var inFit = new HashSet<int>();
        foreach (var j in parts[start])
        {
            PlacementEngine.ForEachDataset(problem, j, (x, _) => inFit.Add(x));
        }

        while (true)
        {
            var best = -1;
            double bestConnection = -1;
            for (var i = 0; i < parts.Count; i++)
            {
                if (used[i] || fitLoad + loads[i] > target)
                {
                    continue;
                }

                double connection = 0;
                foreach (var j in parts[i])
                {
                    PlacementEngine.ForEachDataset(problem, j, (x, bytes) => connection += inFit.Contains(x) ? bytes + 1 : 0);
                }

                if (connection > bestConnection)
                {
                    (best, bestConnection) = (i, connection);
                }
            }

            if (best < 0)
            {
                break;
            }

            used[best] = true;
            fitLoad += loads[best];
            fit.AddRange(parts[best]);
            foreach (var j in parts[best])
            {
                PlacementEngine.ForEachDataset(problem, j, (x, _) => inFit.Add(x));
            }
        }

        var fitArray = fit.ToArray();
        return (fitArray, Without(jobs, fitArray));
    }

    private static List<int[]> SubCommunities(PlacementProblem problem, int[] jobs, long seed)
    {
        var local = new Dictionary<int, int>();
        foreach (var j in jobs)
        {
            local[j] = local.Count;
        }

        var datasets = new Dictionary<int, int>();
        var from = new List<int>();
        var to = new List<int>();
        var weight = new List<double>();
        foreach (var j in jobs)
        {
            PlacementEngine.ForEachDataset(problem, j, (x, bytes) =>
            {
                if (!datasets.TryGetValue(x, out var id))
                {
                    id = jobs.Length + datasets.Count;
                    datasets[x] = id;
                }

                from.Add(local[j]);
                to.Add(id);
                weight.Add(bytes + 1);
            });
        }

        var graph = CsrGraph.FromEdges(jobs.Length + datasets.Count, from.ToArray(), to.ToArray(), weight.ToArray());
        for (double resolution = 1; resolution <= 4096; resolution *= 4)
        {
            var result = Leiden.Run(graph, new LeidenOptions(resolution, seed) { RefineFirstIteration = PlacementLeiden.RefineFirstIteration });
            if (result.CommunityCount > 1)
            {
                var parts = new List<int>[result.CommunityCount];
                for (var i = 0; i < jobs.Length; i++)
                {
                    (parts[result.Membership[i]] ??= []).Add(jobs[i]);
                }

                var nonEmpty = parts.Where(p => p is not null).Select(p => p.ToArray()).ToList();
                if (nonEmpty.Count > 1)
                {
                    return nonEmpty;
                }
            }
        }

        return [jobs];
    }

    // No structure to cut along (one job per node, all tied): the longest prefix that fits, in the group's order.
    private static (int[] Fit, int[] Remainder) SplitInOrder(PlacementProblem problem, int[] jobs, double target)
    {
        var fit = new List<int>();
        double load = 0;
        foreach (var j in jobs.OrderByDescending(j => problem.JobLoad[j]))
        {
            if (load + problem.JobLoad[j] <= target)
            {
                fit.Add(j);
                load += problem.JobLoad[j];
            }
        }

        var fitArray = fit.ToArray();
        return (fitArray, Without(jobs, fitArray));
    }

    private static int[] Without(int[] jobs, int[] removed)
    {
        var set = new HashSet<int>(removed);
        return jobs.Where(j => !set.Contains(j)).ToArray();
    }
}
