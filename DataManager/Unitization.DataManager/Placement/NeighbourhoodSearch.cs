using System.Diagnostics;
using Unitization.DataManager.Communities;

namespace Unitization.DataManager.Placement;

/// <summary>
/// Large-neighbourhood search over the exact model: again and again a neighbourhood of jobs is freed and placed
/// optimally with every other job fixed (<see cref="NeighbourhoodMilp"/>); a placement that costs no more, balanced,
/// is kept (an equal one too: the search walks across plateaus). Neighbourhoods follow the lineage: from a job that pays for remote bytes, the jobs that share its tables,
/// breadth first (tables read by very many jobs add a sample of their readers), up to a size that grows while SCIP
/// proves neighbourhoods optimal fast and shrinks when it does not. With two cores two neighbourhoods of distinct jobs
/// are solved at once, each against the placement before either, and kept one after the other on the same test.
/// Single-job and group moves cannot leave a local
/// minimum where a chain's or a mart's jobs must cross together with the tables they share; an exact neighbourhood can.
/// </summary>
internal static class NeighbourhoodSearch
{
    private const int SmallestNeighbourhood = 12;
    private const int LargestNeighbourhood = 5000;

    // neighbourhoods solved at once (distinct jobs, one SCIP each): two where there are two cores
    private static readonly int Workers = Math.Clamp(Environment.ProcessorCount, 1, 2);

    /// <summary>Improves <paramref name="state"/> in place for about <paramref name="budget"/>; returns the neighbourhoods solved and kept.</summary>
    public static (int Solved, int Kept) Run(PlacementProblem problem, PlacementState state, TimeSpan budget, long seed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(state);
        if (problem.JobCount < 2 || problem.DatacenterCount < 2 || !(budget > TimeSpan.Zero))
        {
            return (0, 0);
        }

        var watch = Stopwatch.StartNew();
        var random = SplitMix64.For(seed, 7, problem.JobCount);
        var size = Math.Min(problem.JobCount, 40);
        var cost = state.Cost().Total;
        var solved = 0;
        var kept = 0;
        var mark = new int[problem.JobCount];
        var stamp = 0;
        var spend = new double[problem.JobCount];
        double spent = 0;
        var batch = new List<int>[Workers];
        var results = new (int[]? Datacenters, bool Optimal)[Workers];
        while (watch.Elapsed < budget && !cancellationToken.IsCancellationRequested)
        {
            var left = budget - watch.Elapsed;
            var limit = TimeSpan.FromMilliseconds(Math.Min(left.TotalMilliseconds, Math.Max(250, budget.TotalMilliseconds / 40)));
            // with two cores, two neighbourhoods of distinct jobs at once (one when a neighbourhood is half the lineage)
            var parallel = size * Workers <= problem.JobCount ? Workers : 1;
            stamp++;
            Spends();
            for (var w = 0; w < parallel; w++)
            {
                batch[w] = Grow(PickSeed(ref random), size, ref random);
            }

            var started = watch.Elapsed;
            if (parallel == 1)
            {
                results[0] = NeighbourhoodMilp.Solve(problem, state, batch[0], limit);
            }
            else
            {
                // the solves only read the state; each gets its own SCIP instance
                Parallel.For(0, parallel, new ParallelOptions { MaxDegreeOfParallelism = parallel }, w => results[w] = NeighbourhoodMilp.Solve(problem, state, batch[w], limit));
            }

            solved += parallel;
            var fast = watch.Elapsed - started < limit / 4;
            var finished = false;
            for (var w = 0; w < parallel; w++)
            {
                var (placed, optimal) = results[w];
                fast &= optimal;
                // a neighbourhood of every job, solved to optimality, is the whole problem solved: nothing is left to search
                finished |= optimal && batch[w].Count == problem.JobCount;
                if (placed is not null && Apply(batch[w], placed, ref cost))
                {
                    kept++;
                }
            }

            size = Math.Min(problem.JobCount, fast ? Math.Min(LargestNeighbourhood, (size * 5 / 4) + 1) : Math.Max(SmallestNeighbourhood, size * 4 / 5));
            if (finished)
            {
                break;
            }
        }

        return (solved, kept);

        // moves the free jobs where the solve placed them; keeps the result when it costs no more (lower: counted) and is
        // balanced, else moves them back
        bool Apply(List<int> free, int[] placed, ref double best)
        {
            var before = new int[free.Count];
            for (var k = 0; k < free.Count; k++)
            {
                before[k] = state.JobDatacenter[free[k]];
                state.Move(free[k], placed[k]);
            }

            state.ReassignPrimaries();
            var after = state.Cost().Total;
            if (after <= best + (1e-12 * Math.Max(1, problem.TotalLoad)) && PlacementCost.IsBalanced(problem, state.Load))
            {
                var lower = after < best - (1e-9 * Math.Max(1, problem.TotalLoad));
                best = Math.Min(best, after);
                return lower;
            }

            for (var k = free.Count - 1; k >= 0; k--)
            {
                state.Move(free[k], before[k]);
            }

            state.ReassignPrimaries();
            return false;
        }

        // each job's weight as a seed: the remote bytes its reads and writes pay now
        void Spends()
        {
            spent = 0;
            for (var j = 0; j < problem.JobCount; j++)
            {
                spend[j] = Spend(j) + (problem.JobLoad[j] * 1e-3);
                spent += spend[j];
            }
        }

        // a job by its weight (any job now and then), not one taken by this round's other neighbourhood
        int PickSeed(ref SplitMix64 r)
        {
            for (var attempt = 0; attempt < 8; attempt++)
            {
                var j = Weighted(ref r);
                if (mark[j] != stamp)
                {
                    return j;
                }
            }

            var next = r.Next(problem.JobCount);
            while (mark[next] == stamp)
            {
                next = (next + 1) % problem.JobCount;
            }

            return next;
        }

        int Weighted(ref SplitMix64 r)
        {
            if (!(spent > 0) || r.NextDouble() < 0.2)
            {
                return r.Next(problem.JobCount);
            }

            var point = r.NextDouble() * spent;
            for (var j = 0; j < problem.JobCount; j++)
            {
                point -= spend[j];
                if (point <= 0)
                {
                    return j;
                }
            }

            return problem.JobCount - 1;
        }

        double Spend(int j)
        {
            var d = state.JobDatacenter[j];
            double remote = 0;
            for (var e = problem.JobReadStart[j]; e < problem.JobReadStart[j + 1]; e++)
            {
                var x = problem.JobReadDataset[e];
                remote += state.Primary[x] != d && !state.HasReplica(x, d) ? problem.JobReadBytes[e] : 0;
            }

            for (var e = problem.JobWriteStart[j]; e < problem.JobWriteStart[j + 1]; e++)
            {
                remote += state.Primary[problem.JobWriteDataset[e]] != d ? problem.JobWriteBytes[e] : 0;
            }

            return remote;
        }

        // breadth first over jobs sharing a table, from the seed; a table with many jobs adds a random few of them;
        // when the seed's component runs out, on from a random job not yet taken
        List<int> Grow(int start, int count, ref SplitMix64 r)
        {
            count = Math.Min(count, problem.JobCount);
            var free = new List<int>(count) { start };
            mark[start] = stamp;
            for (var at = 0; free.Count < count; at++)
            {
                if (at == free.Count)
                {
                    var next = r.Next(problem.JobCount);
                    while (mark[next] == stamp)
                    {
                        next = (next + 1) % problem.JobCount;
                    }

                    mark[next] = stamp;
                    free.Add(next);
                }

                var j = free[at];
                for (var e = problem.JobReadStart[j]; e < problem.JobReadStart[j + 1] && free.Count < count; e++)
                {
                    Neighbours(problem.JobReadDataset[e], free, count, ref r);
                }

                for (var e = problem.JobWriteStart[j]; e < problem.JobWriteStart[j + 1] && free.Count < count; e++)
                {
                    Neighbours(problem.JobWriteDataset[e], free, count, ref r);
                }
            }

            return free;
        }

        void Neighbours(int x, List<int> free, int count, ref SplitMix64 r)
        {
            const int Sample = 8;
            var readers = problem.DatasetReadStart[x + 1] - problem.DatasetReadStart[x];
            for (var e = problem.DatasetWriteStart[x]; e < problem.DatasetWriteStart[x + 1] && free.Count < count; e++)
            {
                Add(problem.DatasetWriteJob[e], free);
            }

            if (readers <= Sample * 2)
            {
                for (var e = problem.DatasetReadStart[x]; e < problem.DatasetReadStart[x + 1] && free.Count < count; e++)
                {
                    Add(problem.DatasetReadJob[e], free);
                }

                return;
            }

            for (var i = 0; i < Sample && free.Count < count; i++)
            {
                Add(problem.DatasetReadJob[problem.DatasetReadStart[x] + r.Next(readers)], free);
            }
        }

        void Add(int j, List<int> free)
        {
            if (mark[j] != stamp)
            {
                mark[j] = stamp;
                free.Add(j);
            }
        }
    }
}
