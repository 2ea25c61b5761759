namespace Unitization.DataManager.Placement;

/// <summary>
/// One Fiduccia-Mattheyses pass over single jobs between datacenters (k-way), under the balance limits: the unlocked
/// job whose best feasible move changes the cost least (saves most) moves, even when that costs more, and is locked
/// for the rest of the pass; after the pass the moves are rolled back to the best prefix, so a pass never leaves the
/// cost higher and can climb out of a local minimum where every single move costs more (two jobs that only save
/// together, for instance). Gains are kept in a priority queue and re-checked when a job comes out (a job whose
/// move got worse goes back in with its current gain); after a move, the jobs of the datasets it touches are queued
/// again with their new gains (for datasets read or written by at most <see cref="NeighbourLimit"/> jobs: a table
/// every job reads changes every job's gain only a little). Gains are exact (<see cref="PlacementState.MoveDelta"/>:
/// primaries and replicas of the touched datasets re-chosen). Ties go to the lower job index, so the pass is deterministic.
/// </summary>
internal static class FiducciaMattheyses
{
    internal const int NeighbourLimit = 64;

    /// <summary>
    /// Runs one pass; stops after <paramref name="maxUphill"/> moves without a new best. Returns the cost saved
    /// (never negative).
    /// </summary>
    public static double Pass(PlacementProblem problem, PlacementState state, int maxUphill)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(state);
        var locked = new bool[problem.JobCount];
        var queue = new PriorityQueue<int, (double Delta, int Job)>();
        for (var j = 0; j < problem.JobCount; j++)
        {
            var (to, delta) = BestMove(problem, state, j);
            if (to >= 0)
            {
                queue.Enqueue(j, (delta, j));
            }
        }

        var tolerance = 1e-9 * Math.Max(1, problem.TotalLoad);
        var log = new List<(int Job, int From)>();
        double saved = 0, bestSaved = 0;
        var bestLength = 0;
        var queued = new int[problem.JobCount]; // move count when the job was last queued again as a neighbour
        while (queue.TryDequeue(out var job, out var key))
        {
            if (locked[job])
            {
                continue;
            }

            var (to, delta) = BestMove(problem, state, job);
            if (to < 0)
            {
                continue; // no feasible move now; a neighbour's move may queue it again
            }

            if (delta > key.Delta + tolerance)
            {
                queue.Enqueue(job, (delta, job)); // got worse since it was queued: back in at its true gain
                continue;
            }

            log.Add((job, state.JobDatacenter[job]));
            state.Move(job, to);
            locked[job] = true;
            saved -= delta;
            if (saved > bestSaved + tolerance)
            {
                bestSaved = saved;
                bestLength = log.Count;
            }
            else if (log.Count - bestLength >= maxUphill)
            {
                break;
            }

            QueueNeighbours(problem, state, job, locked, queued, log.Count, queue);
        }

        for (var i = log.Count - 1; i >= bestLength; i--)
        {
            state.Move(log[i].Job, log[i].From);
        }

        return bestSaved;
    }

    // The feasible datacenter with the least MoveDelta for the job (-1 when none fits).
    private static (int To, double Delta) BestMove(PlacementProblem problem, PlacementState state, int job)
    {
        var from = state.JobDatacenter[job];
        var best = -1;
        var bestDelta = double.PositiveInfinity;
        for (var d = 0; d < problem.DatacenterCount; d++)
        {
            if (d == from || !state.Fits(job, d))
            {
                continue;
            }

            var delta = state.MoveDelta(job, d);
            if (delta < bestDelta)
            {
                (best, bestDelta) = (d, delta);
            }
        }

        return (best, bestDelta);
    }

    private static void QueueNeighbours(PlacementProblem problem, PlacementState state, int job, bool[] locked, int[] queued, int stamp,
        PriorityQueue<int, (double Delta, int Job)> queue)
    {
        for (var e = problem.JobReadStart[job]; e < problem.JobReadStart[job + 1]; e++)
        {
            var x = problem.JobReadDataset[e];
            QueueJobs(problem.DatasetReadJob, problem.DatasetReadStart[x], problem.DatasetReadStart[x + 1]);
            QueueJobs(problem.DatasetWriteJob, problem.DatasetWriteStart[x], problem.DatasetWriteStart[x + 1]);
        }

        for (var e = problem.JobWriteStart[job]; e < problem.JobWriteStart[job + 1]; e++)
        {
            var x = problem.JobWriteDataset[e];
            QueueJobs(problem.DatasetReadJob, problem.DatasetReadStart[x], problem.DatasetReadStart[x + 1]);
            QueueJobs(problem.DatasetWriteJob, problem.DatasetWriteStart[x], problem.DatasetWriteStart[x + 1]);
        }

        void QueueJobs(int[] jobs, int start, int end)
        {
            if (end - start > NeighbourLimit)
            {
                return;
            }

            for (var i = start; i < end; i++)
            {
                var neighbour = jobs[i];
                if (locked[neighbour] || queued[neighbour] == stamp)
                {
                    continue;
                }

                queued[neighbour] = stamp;
                var (to, delta) = BestMove(problem, state, neighbour);
                if (to >= 0)
                {
                    queue.Enqueue(neighbour, (delta, neighbour));
                }
            }
        }
    }
}
