using System.Diagnostics;
using Unitization.DataManager.Communities;

namespace Unitization.DataManager.Placement;

/// <summary>
/// Large-neighbourhood search over the exact model: again and again a neighbourhood of jobs in two datacenters is freed
/// and placed between the two by a minimum cut (<see cref="FlowNeighbourhood"/>) with every other job fixed. A balanced
/// placement is kept when it costs no more by the exact model than the current one (an equal one too: the search walks
/// across plateaus) or than the current one did <see cref="LateAcceptance"/> neighbourhoods before (late acceptance
/// hill climbing: Burke and Bykov, European Journal of Operational Research 258, 2017), and the cheapest placement the
/// walk passed through is the one it leaves. Neighbourhoods follow the lineage: from a job that pays for remote bytes
/// (a datacenter pair: its own and the one its remote bytes come from most), the jobs of the pair that share its
/// tables, breadth first (tables read by very many jobs add a sample of their readers), to a random 15-55 % of the
/// pair's jobs: a cut over thousands of jobs takes milliseconds, and large neighbourhoods leave the local minima small
/// ones stop in (a chain's or a mart's jobs crossing together with the tables they share). Once neighbourhoods stop
/// saving, half are two DAGs' parts instead (the seed's DAG's part in its datacenter and the part in the other of a DAG
/// sharing a table with it), solved by price, by forcing jobs across, and by moving one part whole and cutting the
/// other around it, the cheapest kept: two groups trading sides, which neither makes alone, and whose cheapest balanced
/// trade is often a minimum cut at no price (or, when the two are tied by their tables, none that one cut reaches). The
/// search ends at its budget, or after <see cref="Patience"/> neighbourhoods in a row found nothing cheaper than the
/// cheapest placement so far.
/// </summary>
internal static class NeighbourhoodSearch
{
    // the least and most of a datacenter pair's jobs a neighbourhood frees (a pair this small or smaller: all of them)
    private const double SmallestShare = 0.15;
    private const double LargestShare = 0.55;
    private const int WholePair = 64;

    /// <summary>
    /// Other starts <see cref="RunFromStarts"/> tries at most. A walk that stalls with time left takes the next start,
    /// so on lineages whose walks stall early (hundreds to a couple of thousand jobs) the time goes to more local
    /// minima (a walk out of starts ends, and its time goes to SCIP, or nowhere where SCIP does not run): with 16
    /// instead of 4, the 10 s plan of the 500-job 3-DC shaped lineage of seed 242 went from 101.2 to 97.7 GiB/day (the
    /// best known 97.5), as with 12 or 30.
    /// </summary>
    public const int MaxStarts = 16;

    /// <summary>Searches <see cref="RunFromStarts"/> runs at once at most (one a core).</summary>
    public const int MaxWalkers = 2;

    /// <summary>Starts each of <see cref="RunFromStarts"/>'s searches tries before it goes on with the cheapest.</summary>
    public const int Pilots = 2;

    /// <summary>Neighbourhoods in a row that found nothing cheaper than the cheapest so far after which the search ends.</summary>
    public const int Patience = 500;

    /// <summary>
    /// How far back, in neighbourhoods, lies the cost a new placement may match instead of the current one's (1: plain
    /// descent). A cut places jobs between two datacenters only, balanced; at 3 datacenters, load moved into a full one
    /// must first leave it for the third, a step that costs more on its own, which descent never takes. Taking such
    /// steps while the walk is no dearer than it was 300 neighbourhoods before: the 10 s plans of the three 5,000-job
    /// shaped lineages (<c>bench place --exact</c>) 1-6 % cheaper at 3 datacenters and 0-3 % at 2; of the 2,000-job
    /// ones, 3 % cheaper to 1.5 % dearer (one lineage each way). 100 and 1,000 did about as well.
    /// </summary>
    public const int LateAcceptance = 300;

    // the share of the budget a search spends on its pilots, all together
    private const double PilotShare = 0.25;

    // after this many neighbourhoods in a row that found nothing cheaper than the cheapest so far, a neighbourhood is
    // two DAGs' parts with this chance
    private const int DagPairIdle = 20;
    private const double DagPairChance = 0.5;

    /// <summary>
    /// Searches side by side, one a core (at most <see cref="MaxWalkers"/>; <paramref name="walkers"/> when given). The
    /// starts: <paramref name="state"/> (number 0) and other seeds' placements (<paramref name="another"/> of seed + k):
    /// each search walks into the local minimum of its start, and on large lineages another seed's start often leads
    /// to a cheaper one. Each search first runs on <see cref="Pilots"/> starts in turn (search w: starts w, w +
    /// walkers, ...), a quarter of the budget among them, then goes on with the cheapest; when it stalls with a tenth
    /// of the budget left, it takes the next start no search took (up to <see cref="MaxStarts"/> other starts in all).
    /// The cheapest balanced placement found is left in <paramref name="state"/>. Returns the neighbourhoods solved and
    /// kept in all.
    /// </summary>
    public static (int Solved, int Kept) RunFromStarts(PlacementProblem problem, ref PlacementState state, TimeSpan budget, long seed,
        Func<long, PlacementState> another, CancellationToken cancellationToken, int walkers = 0)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(another);
        walkers = Math.Clamp(walkers > 0 ? walkers : Environment.ProcessorCount, 1, MaxWalkers);
        var watch = Stopwatch.StartNew();
        var first = state;
        var taken = Math.Min(walkers * Pilots, MaxStarts + 1) - 1; // the last start a search has taken
        var found = new (PlacementState Best, int Solved, int Kept)[walkers];
        if (walkers == 1)
        {
            found[0] = Walk(0);
        }
        else
        {
            Parallel.For(0, walkers, new ParallelOptions { MaxDegreeOfParallelism = walkers }, w => found[w] = Walk(w));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var (solved, kept) = (0, 0);
        foreach (var (best, s, n) in found)
        {
            (solved, kept) = (solved + s, kept + n);
            if (Cheaper(best, state))
            {
                state = best;
            }
        }

        return (solved, kept);

        (PlacementState Best, int Solved, int Kept) Walk(int walker)
        {
            PlacementState? best = null;
            var (solved, kept) = (0, 0);
            var pilots = 0;
            for (var k = walker; k <= MaxStarts && pilots < Pilots; k += walkers, pilots++)
            {
                var pilot = k == 0 ? first : another(seed + k);
                Search(pilot, budget * PilotShare / Pilots, seed + k);
            }

            Search(best!, budget - watch.Elapsed, seed + MaxStarts + 1 + walker);
            while (budget - watch.Elapsed > budget / 10 && !cancellationToken.IsCancellationRequested)
            {
                var k = Interlocked.Increment(ref taken);
                if (k > MaxStarts)
                {
                    break;
                }

                Search(another(seed + k), budget - watch.Elapsed, seed + k);
            }

            return (best!, solved, kept);

            // searches from a start for the time given, keeping it when it ends cheapest so far
            void Search(PlacementState start, TimeSpan time, long stream)
            {
                var (s, n) = Run(problem, start, time, stream, cancellationToken);
                (solved, kept) = (solved + s, kept + n);
                best = best is null || Cheaper(start, best) ? start : best;
            }
        }

        bool Cheaper(PlacementState candidate, PlacementState than) =>
            PlacementCost.IsBalanced(problem, candidate.Load) && (!PlacementCost.IsBalanced(problem, than.Load) || candidate.Cost().Total < than.Cost().Total);
    }

    /// <summary>Improves <paramref name="state"/> in place for about <paramref name="budget"/>; returns the neighbourhoods solved and those that lowered the cost.</summary>
    public static (int Solved, int Kept) Run(PlacementProblem problem, PlacementState state, TimeSpan budget, long seed, CancellationToken cancellationToken,
        int lateAcceptance = LateAcceptance)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lateAcceptance, 1);
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(state);
        if (problem.JobCount < 2 || problem.DatacenterCount < 2 || !(budget > TimeSpan.Zero))
        {
            return (0, 0);
        }

        var watch = Stopwatch.StartNew();
        var random = SplitMix64.For(seed, 7, problem.JobCount);
        var cost = state.Cost().Total; // of the cheapest placement the walk passed through (kept in cheapest)
        var current = cost; // of the placement the walk is at
        var cheapest = (int[])state.JobDatacenter.Clone();
        var history = new double[lateAcceptance];
        Array.Fill(history, cost);
        var solved = 0;
        var kept = 0;
        var idle = 0;
        var mark = new int[problem.JobCount];
        var stamp = 0;
        var spend = new double[problem.JobCount];
        double spent = 0;
        var remoteFrom = new double[problem.DatacenterCount];
        var flow = new FlowNeighbourhood(problem, seed);
        var dags = DagGroups.Of(problem);
        var partners = new List<int>();
        var dagOf = new int[problem.JobCount];
        Array.Fill(dagOf, -1);
        for (var g = 0; g < dags.Count; g++)
        {
            foreach (var j in dags[g])
            {
                dagOf[j] = g;
            }
        }

        int pairA = -1, pairB = -1;
        while (watch.Elapsed < budget && idle < Patience && !cancellationToken.IsCancellationRequested)
        {
            stamp++;
            Spends();
            var start = Weighted(ref random);
            pairA = state.JobDatacenter[start];
            pairB = problem.DatacenterCount == 2 ? 1 - pairA : Partner(start, ref random);
            var inPair = 0;
            for (var j = 0; j < problem.JobCount; j++)
            {
                inPair += state.JobDatacenter[j] == pairA || state.JobDatacenter[j] == pairB ? 1 : 0;
            }

            var share = SmallestShare + ((LargestShare - SmallestShare) * random.NextDouble());
            var dagPair = idle >= DagPairIdle && random.NextDouble() < DagPairChance ? DagPair(start, ref random) : null;
            var free = dagPair?.Free ?? Grow(start, inPair <= WholePair ? inPair : Math.Max(2, (int)(inPair * share)), ref random);
            var (placed, _, forced) = flow.Solve(state, free, pairA, pairB, pierce: dagPair is not null);
            solved++;
            if (dagPair is { } pair)
            {
                var least = Cost(free, placed);
                if (forced is not null && Cost(free, forced) is var c && c < least)
                {
                    (placed, least) = (forced, c);
                }

                if (Traded(free, pair.Split, ref random) is var trade && Cost(trade.Jobs, trade.Placed) < least)
                {
                    (free, placed) = (trade.Jobs, trade.Placed);
                }
            }

            if (Apply(free, placed))
            {
                kept++;
                idle = 0;
            }
            else
            {
                idle++;
            }
        }

        if (current > cost)
        {
            // back to the cheapest placement passed through
            for (var j = 0; j < problem.JobCount; j++)
            {
                if (state.JobDatacenter[j] != cheapest[j])
                {
                    state.Move(j, cheapest[j]);
                }
            }

            state.ReassignPrimaries();
        }

        return (solved, kept);

        // moves the free jobs where the solve placed them (rebalanced when the cut was not); keeps the result when it is
        // balanced and costs no more than the current placement or than the one lateAcceptance solves before, else moves
        // them back; true when the walk reached a placement cheaper than any before
        bool Apply(List<int> free, int[] placed)
        {
            var slot = solved % lateAcceptance;
            var before = Place(free, placed);
            var after = state.Cost().Total;
            if ((after <= current + (1e-12 * Math.Max(1, problem.TotalLoad)) || after <= history[slot]) && PlacementCost.IsBalanced(problem, state.Load))
            {
                current = after;
            }
            else
            {
                Undo(free, before);
            }

            history[slot] = current;
            if (current >= cost - (1e-9 * Math.Max(1, problem.TotalLoad)))
            {
                return false;
            }

            cost = current;
            Array.Copy(state.JobDatacenter, cheapest, cheapest.Length);
            return true;
        }

        // what the free jobs placed so would cost, rebalanced (infinite when they cannot be); the state as it was after
        double Cost(List<int> free, int[] placed)
        {
            var before = Place(free, placed);
            var after = PlacementCost.IsBalanced(problem, state.Load) ? state.Cost().Total : double.PositiveInfinity;
            Undo(free, before);
            return after;
        }

        // moves the free jobs as placed, rebalances and re-chooses primaries; returns where they were
        int[] Place(List<int> free, int[] placed)
        {
            var before = new int[free.Count];
            for (var k = 0; k < free.Count; k++)
            {
                before[k] = state.JobDatacenter[free[k]];
                state.Move(free[k], placed[k]);
            }

            FlowNeighbourhood.Rebalance(problem, state, free, pairA, pairB);
            state.ReassignPrimaries();
            return before;
        }

        void Undo(List<int> free, int[] before)
        {
            for (var k = free.Count - 1; k >= 0; k--)
            {
                state.Move(free[k], before[k]);
            }

            state.ReassignPrimaries();
        }

        // a DAG pair's trade (its two parts: free before and from split): one part (at random) moved whole to the pair's
        // other datacenter, then the other part and the jobs of the pair sharing a table with either placed by a cut
        // around it; the jobs and where they go. Two parts tied to each other by their tables cross together or not at
        // all in any one cut, priced or forced: their trade is a placement neither finds
        (List<int> Jobs, int[] Placed) Traded(List<int> free, int split, ref SplitMix64 r)
        {
            var (first, second) = (free.GetRange(0, split), free.GetRange(split, free.Count - split));
            var (moving, around) = r.NextDouble() < 0.5 ? (first, second) : (second, first);
            var back = state.JobDatacenter[moving[0]];
            var there = back == pairA ? pairB : pairA;
            stamp++;
            foreach (var j in free)
            {
                mark[j] = stamp;
            }

            foreach (var j in free)
            {
                for (var e = problem.JobReadStart[j]; e < problem.JobReadStart[j + 1]; e++)
                {
                    Neighbours(problem.JobReadDataset[e], around, int.MaxValue, ref r);
                }

                for (var e = problem.JobWriteStart[j]; e < problem.JobWriteStart[j + 1]; e++)
                {
                    Neighbours(problem.JobWriteDataset[e], around, int.MaxValue, ref r);
                }
            }

            foreach (var j in moving)
            {
                state.Move(j, there);
            }

            // the cut starts its price from the last solve's: this one's, on a side overfull on purpose, is no guide
            var price = flow.LastPrice;
            var (inner, _, _) = flow.Solve(state, around, pairA, pairB);
            flow.LastPrice = price;
            foreach (var j in moving)
            {
                state.Move(j, back);
            }

            state.ReassignPrimaries();
            var placed = new int[moving.Count + around.Count];
            Array.Fill(placed, there, 0, moving.Count);
            inner.CopyTo(placed, moving.Count);
            return ([.. moving, .. around], placed);
        }

        // the seed's DAG's part in the seed's datacenter and, in the pair's other one, the part of a DAG sharing a table
        // with it (drawn by the jobs through which they share): two groups that may save only by trading sides, each
        // alone too heavy for the other datacenter or dearer there; the jobs, the seed's part first, and where the
        // other part starts
        (List<int> Free, int Split)? DagPair(int start, ref SplitMix64 r)
        {
            var g = dagOf[start];
            if (g < 0)
            {
                return null;
            }

            var here = state.JobDatacenter[start];
            var there = here == pairA ? pairB : pairA;
            var free = dags[g].Where(j => state.JobDatacenter[j] == here).ToList();
            partners.Clear();
            foreach (var j in free)
            {
                for (var e = problem.JobReadStart[j]; e < problem.JobReadStart[j + 1]; e++)
                {
                    Partners(problem.JobReadDataset[e], g, there);
                }

                for (var e = problem.JobWriteStart[j]; e < problem.JobWriteStart[j + 1]; e++)
                {
                    Partners(problem.JobWriteDataset[e], g, there);
                }
            }

            if (partners.Count == 0)
            {
                return null;
            }

            var h = partners[r.Next(partners.Count)];
            var split = free.Count;
            free.AddRange(dags[h].Where(j => state.JobDatacenter[j] == there));
            return (free, split);
        }

        // the DAGs other than g of the jobs in datacenter d that read or write dataset x, once per job
        void Partners(int x, int g, int d)
        {
            for (var e = problem.DatasetReadStart[x]; e < problem.DatasetReadStart[x + 1]; e++)
            {
                Partner(problem.DatasetReadJob[e]);
            }

            for (var e = problem.DatasetWriteStart[x]; e < problem.DatasetWriteStart[x + 1]; e++)
            {
                Partner(problem.DatasetWriteJob[e]);
            }

            void Partner(int j)
            {
                if (state.JobDatacenter[j] == d && dagOf[j] >= 0 && dagOf[j] != g)
                {
                    partners.Add(dagOf[j]);
                }
            }
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

        // a job by its weight (any job now and then)
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
                    var tries = 0;
                    while ((mark[next] == stamp || (state.JobDatacenter[next] != pairA && state.JobDatacenter[next] != pairB)) && tries++ < problem.JobCount)
                    {
                        next = (next + 1) % problem.JobCount;
                    }

                    if (tries > problem.JobCount)
                    {
                        break;
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

        // the datacenter the seed's remote bytes come from most (a random other one now and then)
        int Partner(int j, ref SplitMix64 r)
        {
            var d = state.JobDatacenter[j];
            var bytes = remoteFrom;
            Array.Clear(bytes);
            for (var e = problem.JobReadStart[j]; e < problem.JobReadStart[j + 1]; e++)
            {
                var x = problem.JobReadDataset[e];
                if (state.Primary[x] != d && !state.HasReplica(x, d))
                {
                    bytes[state.Primary[x]] += problem.JobReadBytes[e];
                }
            }

            for (var e = problem.JobWriteStart[j]; e < problem.JobWriteStart[j + 1]; e++)
            {
                var x = problem.JobWriteDataset[e];
                if (state.Primary[x] != d)
                {
                    bytes[state.Primary[x]] += problem.JobWriteBytes[e];
                }
            }

            var best = -1;
            for (var o = 0; o < bytes.Length; o++)
            {
                best = o != d && (best < 0 || bytes[o] > bytes[best]) ? o : best;
            }

            if (bytes[best] <= 0 || r.NextDouble() < 0.25)
            {
                best = (d + 1 + r.Next(problem.DatacenterCount - 1)) % problem.DatacenterCount;
            }

            return best;
        }

        void Add(int j, List<int> free)
        {
            if (state.JobDatacenter[j] != pairA && state.JobDatacenter[j] != pairB)
            {
                return;
            }

            if (mark[j] != stamp)
            {
                mark[j] = stamp;
                free.Add(j);
            }
        }
    }
}
