namespace Unitization.DataManager.Placement;

/// <summary>
/// Cross-datacenter bytes per day of a placement, by the cost model of ARCHITECTURE.md: a job in d reading x moves
/// x's read bytes unless d holds x (primary or replica); writing y moves its bytes unless d is y's primary; each
/// replica of y costs y's daily bytes (<see cref="PlacementProblem.CopyCost"/>).
/// </summary>
internal sealed record PlacementCost(double RemoteReads, double RemoteWrites, double Replication)
{
    public double Total => RemoteReads + RemoteWrites + Replication;

    /// <summary>Evaluates a placement from scratch. <paramref name="holds"/>[x * D + d] says whether d has a replica of x.</summary>
    public static PlacementCost Evaluate(PlacementProblem problem, ReadOnlySpan<int> jobDatacenter, ReadOnlySpan<int> primary, ReadOnlySpan<bool> replicas)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var dcs = problem.DatacenterCount;
        double reads = 0, writes = 0, replication = 0;
        for (var j = 0; j < problem.JobCount; j++)
        {
            var d = jobDatacenter[j];
            for (var e = problem.JobReadStart[j]; e < problem.JobReadStart[j + 1]; e++)
            {
                var x = problem.JobReadDataset[e];
                if (primary[x] != d && !replicas[(x * dcs) + d])
                {
                    reads += problem.JobReadBytes[e];
                }
            }

            for (var e = problem.JobWriteStart[j]; e < problem.JobWriteStart[j + 1]; e++)
            {
                if (primary[problem.JobWriteDataset[e]] != d)
                {
                    writes += problem.JobWriteBytes[e];
                }
            }
        }

        for (var x = 0; x < problem.DatasetCount; x++)
        {
            for (var d = 0; d < dcs; d++)
            {
                if (replicas[(x * dcs) + d] && primary[x] != d)
                {
                    replication += problem.CopyCost[x];
                }
            }
        }

        return new PlacementCost(reads, writes, replication);
    }

    /// <summary>Each datacenter's load: the bytes its jobs read plus write per day.</summary>
    public static double[] Loads(PlacementProblem problem, ReadOnlySpan<int> jobDatacenter)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var loads = new double[problem.DatacenterCount];
        for (var j = 0; j < problem.JobCount; j++)
        {
            loads[jobDatacenter[j]] += problem.JobLoad[j];
        }

        return loads;
    }

    /// <summary>The largest relative overload: <c>max_d load_d / (share_d * total) - 1</c> (0 when perfectly proportional).</summary>
    public static double Imbalance(PlacementProblem problem, ReadOnlySpan<double> loads)
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (problem.TotalLoad <= 0)
        {
            return 0;
        }

        var worst = double.MinValue;
        for (var d = 0; d < loads.Length; d++)
        {
            worst = Math.Max(worst, (loads[d] / (problem.Shares[d] * problem.TotalLoad)) - 1);
        }

        return worst;
    }

    /// <summary>Whether every datacenter stays within <c>(1 + eps) * share * total</c>.</summary>
    public static bool IsBalanced(PlacementProblem problem, ReadOnlySpan<double> loads)
    {
        ArgumentNullException.ThrowIfNull(problem);
        for (var d = 0; d < loads.Length; d++)
        {
            if (loads[d] > problem.MostLoad(d))
            {
                return false;
            }
        }

        return true;
    }
}
