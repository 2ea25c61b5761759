namespace Unitization.DataManager.Placement;

/// <summary>
/// A lower bound on any balanced placement's cost that needs no solver, for lineages too large for one: when the jobs
/// touching a dataset x together carry more load than its primary's datacenter may hold, jobs carrying at least the
/// excess run elsewhere, and each pays x's bytes (reads up to one copy of x). So x costs at least
/// <c>min(copy cost, cheapest such excess)</c>, the cheapest excess taken as a fractional knapsack (jobs by bytes per
/// unit of load), over the best primary datacenter. Datasets are priced independently, so the sum is a bound.
/// </summary>
internal static class SpreadBound
{
    public static double Compute(PlacementProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        double bound = 0;
        var bytesOf = new Dictionary<int, double>();
        var jobs = new List<(double Ratio, double Load, double Bytes)>();
        var seen = new int[problem.JobCount]; // per job: 1 + the last dataset whose load counted it
        var roomiest = double.MinValue;
        for (var d = 0; d < problem.DatacenterCount; d++)
        {
            roomiest = Math.Max(roomiest, problem.Capacity[d]);
        }

        for (var x = 0; x < problem.DatasetCount; x++)
        {
            // most datasets' jobs fit in one datacenter: nothing to price, no dictionary and no sort
            if (problem.PinnedPrimary[x] < 0 && TouchingLoad(x) <= roomiest)
            {
                continue;
            }

            bytesOf.Clear();
            Collect(problem.DatasetReadStart, problem.DatasetReadJob, problem.DatasetReadBytes, x);
            Collect(problem.DatasetWriteStart, problem.DatasetWriteJob, problem.DatasetWriteBytes, x);
            double load = 0;
            jobs.Clear();
            foreach (var (j, bytes) in bytesOf)
            {
                load += problem.JobLoad[j];
                jobs.Add((problem.JobLoad[j] > 0 ? bytes / problem.JobLoad[j] : double.PositiveInfinity, problem.JobLoad[j], bytes));
            }

            double best = double.PositiveInfinity;
            jobs.Sort((l, r) => l.Ratio.CompareTo(r.Ratio));
            for (var d = 0; d < problem.DatacenterCount; d++)
            {
                if (problem.PinnedPrimary[x] >= 0 && problem.PinnedPrimary[x] != d)
                {
                    continue;
                }

                var excess = load - problem.Capacity[d];
                best = Math.Min(best, excess <= 0 ? 0 : Cheapest(excess));
            }

            // reads beyond one copy are free (a replica): min(reads, C) + writes >= min(reads + writes, C)
            bound += Math.Min(best, problem.CopyCost[x]);
        }

        return bound;

        double TouchingLoad(int x)
        {
            double load = 0;
            for (var e = problem.DatasetReadStart[x]; e < problem.DatasetReadStart[x + 1]; e++)
            {
                load += Count(problem.DatasetReadJob[e], x);
            }

            for (var e = problem.DatasetWriteStart[x]; e < problem.DatasetWriteStart[x + 1]; e++)
            {
                load += Count(problem.DatasetWriteJob[e], x);
            }

            return load;
        }

        double Count(int job, int x)
        {
            if (seen[job] == x + 1)
            {
                return 0;
            }

            seen[job] = x + 1;
            return problem.JobLoad[job];
        }

        void Collect(int[] start, int[] job, double[] bytes, int x)
        {
            for (var e = start[x]; e < start[x + 1]; e++)
            {
                bytesOf[job[e]] = bytesOf.GetValueOrDefault(job[e]) + bytes[e];
            }
        }

        double Cheapest(double excess)
        {
            double cost = 0;
            foreach (var (ratio, jobLoad, bytes) in jobs)
            {
                if (excess <= 0)
                {
                    break;
                }

                if (jobLoad >= excess)
                {
                    return cost + (ratio * excess);
                }

                cost += bytes;
                excess -= jobLoad;
            }

            return excess > 1e-9 ? double.PositiveInfinity : cost;
        }
    }
}
