using Unitization.DataManager.Communities;
using Unitization.DataManager.Graph;

namespace Unitization.DataManager.Placement;

/// <summary>
/// Places jobs and datasets: Leiden communities of the lineage graph go to datacenters largest first, each to the
/// datacenter it shares most data with among those with room (a community too big for any is split along its weakest
/// internal cut: the sub-communities Leiden finds inside it, grown greedily by connection); then move-based refinement
/// (Fiduccia-Mattheyses passes over single jobs with rollback to the best prefix, then whole groups; balance kept);
/// then the exact model of the cost model: CP-SAT on the communities, neighbourhoods of the lineage placed between two
/// datacenters by minimum cuts and SCIP on the whole program for lineages it can take, CP-SAT on the communities alone
/// for larger ones; primaries go where they cost least (where a writer runs, or where they are pinned), and replicas
/// where reads exceed the copy cost. With a previous plan, only moves that pay for their migration are made.
/// </summary>
internal static class PlacementEngine
{
    public static PlacementResult Place(PlacementProblem problem, PlacementOptions options, PreviousPlacement? previous = null,
        IProgress<PlacementProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(options);
        progress?.Report(new PlacementProgress("graph", 0.05));
        var graph = LineageGraph.ToUndirected(problem, capReads: problem.JobCount <= options.ExactJobLimit);
        var whole = problem.JobCount <= options.ExactJobLimit;
        var (state, pieces, communities) = Opening(options.Seed, progress);
        progress?.Report(new PlacementProgress("exact", 0.55));

        // the search's other starts: the same opening from another seed's communities
        PlacementState Start(long seed) => Opening(seed, null).State;

        // communities, their assignment and refinement (a second start with DAG parts moving from the first pass:
        // local search ends in different minima; the cheaper kept)
        (PlacementState State, List<int[]> Pieces, int Communities) Opening(long seed, IProgress<PlacementProgress>? report)
        {
            report?.Report(new PlacementProgress("communities", 0.15));
            var leiden = Leiden.Run(graph, new LeidenOptions(1.0, seed) { RefineFirstIteration = PlacementLeiden.RefineFirstIteration });
            var groups = JobGroups(problem, leiden.Membership, leiden.CommunityCount);
            report?.Report(new PlacementProgress("assignment", 0.35));
            var (assignment, parts) = Assign(problem, groups, seed);
            var first = new PlacementState(problem, (int[])assignment.Clone());
            report?.Report(new PlacementProgress("refinement", 0.45));
            Refine(problem, first, parts, options.RefinementPasses, whole);
            if (whole && DagGroups.Of(problem).Count > 0)
            {
                var second = new PlacementState(problem, assignment);
                Refine(problem, second, parts, options.RefinementPasses, swaps: true, dagsFirst: true);
                first = PlacementCost.IsBalanced(problem, second.Load) && second.Cost().Total < first.Cost().Total ? second : first;
            }

            return (first, parts, leiden.CommunityCount);
        }

        var (exact, bound) = Exact(problem, options, ref state, pieces, Start, cancellationToken);

        var moves = new List<JobMove>();
        if (previous is not null)
        {
            progress?.Report(new PlacementProgress("stability", 0.8));
            state = Stabilize(problem, state, pieces, previous, options, moves);
        }

        state.ReassignPrimaries();
        progress?.Report(new PlacementProgress("baselines", 0.9));
        var figures = Figures(problem, state);
        var result = new PlacementResult
        {
            Problem = problem,
            JobDatacenter = state.JobDatacenter,
            Primary = state.Primary,
            Replicas = state.Replicas(),
            Communities = communities,
            Figures = figures,
            // a bound holds over balanced placements only
            LowerBound = figures.Balanced ? Math.Min(bound, figures.Cost.Total) : 0,
            Exact = exact,
            Moves = moves,
            HashBaseline = Figures(problem, new PlacementState(problem, PlacementBaselines.Hash(problem))),
            DagBaseline = Figures(problem, new PlacementState(problem, PlacementBaselines.Dag(problem))),
        };
        progress?.Report(new PlacementProgress("done", 1.0));
        return result;
    }

    /// <summary>
    /// The exact phase. Up to <see cref="PlacementOptions.ExactJobLimit"/> jobs: the neighbourhood search
    /// (<see cref="NeighbourhoodSearch"/>: lineage neighbourhoods placed between two datacenters by a minimum cut with
    /// the rest fixed; one search a core, each trying other seeds' heuristic placements too), then
    /// SCIP on the whole program as a MILP (<see cref="ExactMilp"/>) from the best placement so far: its dual bound is
    /// the problem's bound, and where it solves the program outright it proves the plan optimal (when jobs x
    /// datacenters is beyond what SCIP's root node does in its share, the search gets that share); where SCIP's bound
    /// is weaker or missing, the greater of <see cref="CutBound"/>'s and the spread bound is the bound. Larger: CP-SAT
    /// on the problem coarsened to the refined communities (each split by datacenter; at most
    /// <see cref="PlacementOptions.MaxCoarseUnits"/> of them), then single-job refinement again; the bound is then
    /// <see cref="SpreadBound"/>'s. A solver placement replaces the heuristic one only when it is balanced and cheaper.
    /// </summary>
    private static (ExactSummary Summary, double Bound) Exact(PlacementProblem problem, PlacementOptions options, ref PlacementState state,
        List<int[]> pieces, Func<long, PlacementState> start, CancellationToken cancellationToken)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var spread = SpreadBound.Compute(problem);
        if (!(options.SolverSeconds > 0) || problem.JobCount == 0)
        {
            return (new ExactSummary("off", "spread", false), spread);
        }

        var whole = problem.JobCount <= options.ExactJobLimit;
        int[] unitOf;
        int units;
        if (whole)
        {
            unitOf = Enumerable.Range(0, problem.JobCount).ToArray();
            units = problem.JobCount;
        }
        else
        {
            var edges = (long)problem.Lineage.ReadJob.Length + problem.Lineage.WriteJob.Length;
            if (edges * problem.DatacenterCount > 4 * ExactPlacement.MaxPenalties)
            {
                return (new ExactSummary($"skipped: {edges} edges, too many for a bounded solve", "spread", false), spread);
            }

            (unitOf, units) = Units(problem, state, pieces);
            if (units > options.MaxCoarseUnits)
            {
                return (new ExactSummary($"skipped: {units} communities > {options.MaxCoarseUnits}", "spread", false), spread);
            }
        }

        // whole problems are bounded by minimum cuts as well (balance-aware, and milliseconds at 5,000 jobs)
        var (floor, floorSource) = (spread, "spread");
        if (whole && CutBound.Compute(problem, cancellationToken) is var cut && cut > floor)
        {
            (floor, floorSource) = (cut, "cuts");
        }

        var seconds = options.SolverSeconds;
        if (!whole)
        {
            var coarse = ExactPlacement.Solve(problem, unitOf, units, state.JobDatacenter, TimeSpan.FromSeconds(seconds), options.Seed, cancellationToken);
            state = Better(problem, state, coarse, true, pieces, options.RefinementPasses);
            return (new ExactSummary($"{coarse.Status} ({units} communities)", "spread", false), spread);
        }

        // neighbourhoods placed by minimum cuts (one search a core, from other seeds' starts too), then SCIP on the
        // whole program from the best placement so far: its dual bound is the proof, and on a lineage it solves
        // outright it proves the placement optimal. On a program too large for SCIP to do better than the cut bound in
        // its share, the search gets that share too and the bound is the cut bound. Time the search leaves unused (it
        // tried every start and stalled) goes to SCIP. CP-SAT on the communities split by datacenter is not run first:
        // on shaped lineages of 500-5,000 jobs it saved under 0.5 % in a third of the time, and the search's DAG-pair
        // neighbourhoods move whole groups.
        var scip = (double)problem.JobCount * problem.DatacenterCount <= WholeMilpCellsPerSecond * seconds;
        var (solved, kept) = NeighbourhoodSearch.RunFromStarts(problem, ref state,
            TimeSpan.FromSeconds(Math.Max(0, (seconds * (scip ? SearchShare : 1)) - watch.Elapsed.TotalSeconds)), options.Seed, start, cancellationToken);
        if (!scip)
        {
            return (new ExactSummary($"lns {kept}/{solved}, scip skipped: {problem.JobCount} jobs x {problem.DatacenterCount} datacenters", floorSource, false), floor);
        }

        var left = TimeSpan.FromSeconds(Math.Max(seconds * (1 - SearchShare), seconds - watch.Elapsed.TotalSeconds));
        var milp = ExactMilp.Solve(problem, unitOf, units, state.JobDatacenter, left, cancellationToken);
        state = Better(problem, state, milp, false, pieces, options.RefinementPasses);
        var status = $"lns {kept}/{solved}, scip {milp.Status} (jobs)";
        return floor > milp.LowerBound
            ? (new ExactSummary(status, floorSource, false), floor)
            : (new ExactSummary(status, "scip", milp.Optimal), milp.LowerBound);
    }

    // The solver's placement (refined job by job when it moved coarse units) if balanced and cheaper; else the current one.
    private static PlacementState Better(PlacementProblem problem, PlacementState current, ExactOutcome solved, bool refine, List<int[]> pieces, int passes)
    {
        if (solved.JobDatacenter is not { } placed)
        {
            return current;
        }

        var candidate = new PlacementState(problem, placed);
        if (refine)
        {
            Refine(problem, candidate, pieces, passes);
        }

        return PlacementCost.IsBalanced(problem, candidate.Load) && candidate.Cost().Total < current.Cost().Total ? candidate : current;
    }

    // Whole problems: the share of the solver's time for the neighbourhood search; SCIP on the whole program gets the rest.
    private const double SearchShare = 0.7;

    // SCIP on the whole program runs when jobs x datacenters is at most this many per second of the solver's time. In
    // 3 s (10 s of solver time) on 500 jobs it raises the bound above the cut bound (2 datacenters: 25.3 against 18.3
    // GiB/day on seed 42's shaped lineage). On 2,000 jobs and 2 datacenters its root node ends, but neither its bound
    // nor its placement beat the cut bound and the search's (bench place --exact, seeds 42, 142, 242), and the search
    // given those 3 s too found 262.9 instead of 274.2 GiB/day on seed 142 (the others the same); on 5,000 jobs, or
    // 2,000 and 3 datacenters, its root node does not end even in 30 s.
    private const double WholeMilpCellsPerSecond = 200;

    // The refined communities split by the datacenter each job is in: units each wholly in one datacenter.
    private static (int[] UnitOf, int Units) Units(PlacementProblem problem, PlacementState state, List<int[]> pieces)
    {
        var unitOf = new int[problem.JobCount];
        var units = 0;
        var byDatacenter = new int[problem.DatacenterCount];
        foreach (var piece in pieces)
        {
            Array.Fill(byDatacenter, -1);
            foreach (var j in piece)
            {
                ref var unit = ref byDatacenter[state.JobDatacenter[j]];
                if (unit < 0)
                {
                    unit = units++;
                }

                unitOf[j] = unit;
            }
        }

        return (unitOf, units);
    }

    internal static PlacementFigures Figures(PlacementProblem problem, PlacementState state)
    {
        var loads = (double[])state.Load.Clone();
        return new PlacementFigures(state.Cost(), loads, PlacementCost.Imbalance(problem, loads), PlacementCost.IsBalanced(problem, loads));
    }

    // The jobs of each community (datasets follow their jobs), communities without jobs dropped.
    private static List<int[]> JobGroups(PlacementProblem problem, int[] membership, int count)
    {
        var lists = new List<int>[count];
        for (var j = 0; j < problem.JobCount; j++)
        {
            (lists[membership[j]] ??= []).Add(j);
        }

        return lists.Where(l => l is not null).Select(l => l.ToArray()).ToList();
    }

    /// <summary>Groups to datacenters, largest first, into the datacenter with room that holds most of their data (pinned primaries included).</summary>
    internal static (int[] Assignment, List<int[]> Pieces) Assign(PlacementProblem problem, List<int[]> groups, long seed)
    {
        var dcs = problem.DatacenterCount;
        var assignment = new int[problem.JobCount];
        var remaining = (double[])problem.Capacity.Clone();
        var touching = new double[problem.DatasetCount * dcs];
        for (var x = 0; x < problem.DatasetCount; x++)
        {
            if (problem.PinnedPrimary[x] >= 0)
            {
                touching[(x * dcs) + problem.PinnedPrimary[x]] = 1; // a pinned primary holds its data there already
            }
        }

        var placed = new List<int[]>();
        var queue = new PriorityQueue<int[], (double, int)>();
        foreach (var group in groups)
        {
            queue.Enqueue(group, (-LoadOf(problem, group), group[0]));
        }

        while (queue.TryDequeue(out var piece, out _))
        {
            var load = LoadOf(problem, piece);
            var best = -1;
            double bestAffinity = -1, bestRoom = double.MinValue;
            for (var d = 0; d < dcs; d++)
            {
                if (remaining[d] + 1e-9 < load)
                {
                    continue;
                }

                var affinity = Affinity(problem, piece, touching, d);
                var room = problem.Capacity[d] > 0 ? remaining[d] / problem.Capacity[d] : 0;
                if (affinity > bestAffinity || (affinity == bestAffinity && room > bestRoom))
                {
                    (best, bestAffinity, bestRoom) = (d, affinity, room);
                }
            }

            if (best < 0)
            {
                var roomiest = Enumerable.Range(0, dcs).MaxBy(d => remaining[d]);
                if (piece.Length > 1)
                {
                    var (fit, rest) = WeakestCut.Split(problem, piece, remaining[roomiest], seed);
                    if (fit.Length > 0)
                    {
                        queue.Enqueue(fit, (-LoadOf(problem, fit), fit[0]));
                        queue.Enqueue(rest, (-LoadOf(problem, rest), rest[0]));
                        continue;
                    }
                }

                best = roomiest; // a single job larger than any room left: placed where it overflows least
            }

            remaining[best] -= load;
            foreach (var j in piece)
            {
                assignment[j] = best;
                ForEachDataset(problem, j, (x, bytes) => touching[(x * dcs) + best] += bytes + 1);
            }

            placed.Add(piece);
        }

        return (assignment, placed);
    }

    private static double Affinity(PlacementProblem problem, int[] piece, double[] touching, int d)
    {
        var dcs = problem.DatacenterCount;
        double affinity = 0;
        foreach (var j in piece)
        {
            for (var e = problem.JobReadStart[j]; e < problem.JobReadStart[j + 1]; e++)
            {
                affinity += touching[(problem.JobReadDataset[e] * dcs) + d] > 0 ? problem.JobReadBytes[e] + 1 : 0;
            }

            for (var e = problem.JobWriteStart[j]; e < problem.JobWriteStart[j + 1]; e++)
            {
                affinity += touching[(problem.JobWriteDataset[e] * dcs) + d] > 0 ? problem.JobWriteBytes[e] + 1 : 0;
            }
        }

        return affinity;
    }

    internal static void ForEachDataset(PlacementProblem problem, int job, Action<int, double> action)
    {
        for (var e = problem.JobReadStart[job]; e < problem.JobReadStart[job + 1]; e++)
        {
            action(problem.JobReadDataset[e], problem.JobReadBytes[e]);
        }

        for (var e = problem.JobWriteStart[job]; e < problem.JobWriteStart[job + 1]; e++)
        {
            action(problem.JobWriteDataset[e], problem.JobWriteBytes[e]);
        }
    }

    internal static double LoadOf(PlacementProblem problem, int[] jobs)
    {
        double load = 0;
        foreach (var j in jobs)
        {
            load += problem.JobLoad[j];
        }

        return load;
    }

    /// <summary>
    /// Refinement passes: a Fiduccia-Mattheyses pass over single jobs (tentative moves, uphill ones too, rolled back to
    /// the best prefix; balance holds after every move); every placed group tries a move as a whole (kept only if the
    /// whole move saves); with <paramref name="swaps"/>, each DAG's part in a datacenter tries a move as a whole
    /// (<see cref="DagGroups"/>), and groups and DAG parts that balance keeps from moving alone exchange places
    /// (<see cref="GroupSwaps"/>; for lineages the solver works on whole, where it costs well under a second); primaries
    /// are re-chosen after each pass.
    /// </summary>
    internal static void Refine(PlacementProblem problem, PlacementState state, List<int[]> groups, int passes, bool swaps = false, bool dagsFirst = false)
    {
        // a pass may climb this many moves past its best before it gives up (and rolls them back)
        var uphill = Math.Clamp(problem.JobCount / 100, 20, 2000);
        var dags = swaps ? DagGroups.Of(problem) : [];
        RefinementPasses.Run(problem, state, groups, passes, swaps, dagsFirst ? dags : [], uphill);
        if (dags.Count > 0)
        {
            // then with DAG parts too: only ever a further saving on the passes without them
            RefinementPasses.Run(problem, state, groups, passes, swaps, dags, uphill);
        }
    }

    // Moves the group, wholly in one datacenter, to the datacenter where the cost drops most; returns the saving.
    internal static double TryMoveGroup(PlacementProblem problem, PlacementState state, int[] group)
    {
        var from = state.JobDatacenter[group[0]];
        if (group.Any(j => state.JobDatacenter[j] != from))
        {
            return 0;
        }

        var load = LoadOf(problem, group);
        int best = -1;
        double bestDelta = -1e-6;
        for (var d = 0; d < problem.DatacenterCount; d++)
        {
            if (d == from || state.Load[d] + load > problem.MostLoad(d))
            {
                continue;
            }

            var delta = MoveAll(state, group, d);
            MoveAll(state, group, from);
            if (delta < bestDelta)
            {
                (best, bestDelta) = (d, delta);
            }
        }

        if (best < 0)
        {
            return 0;
        }

        MoveAll(state, group, best);
        return -bestDelta;
    }

    internal static double MoveAll(PlacementState state, int[] jobs, int to)
    {
        double delta = 0;
        foreach (var j in jobs)
        {
            delta += state.MoveDelta(j, to);
            state.Move(j, to);
        }

        return delta;
    }

    /// <summary>
    /// Starts from the previous plan and moves jobs toward the new placement only where the move pays for itself: a
    /// unit (a group's moving jobs together, then single jobs) moves when the bytes a day it saves, times
    /// <see cref="PlacementOptions.HorizonDays"/>, exceed the bytes its migration copies (datasets its new datacenter
    /// must newly hold, at their daily bytes), within <see cref="PlacementOptions.MaxMoves"/> jobs and
    /// <see cref="PlacementOptions.MaxMigrationBytesPerDay"/> copied bytes; the best savings go first. Primaries the
    /// problem pins stay; jobs new in the lineage take their place in the new placement.
    /// </summary>
    private static PlacementState Stabilize(PlacementProblem problem, PlacementState target, List<int[]> groups, PreviousPlacement previous,
        PlacementOptions options, List<JobMove> moves)
    {
        var dcIndex = problem.Datacenters.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i, StringComparer.Ordinal);
        var current = (int[])target.JobDatacenter.Clone();
        var before = new int[problem.JobCount];
        Array.Fill(before, -1);
        for (var j = 0; j < problem.JobCount; j++)
        {
            if (previous.Jobs.TryGetValue(problem.Lineage.Jobs[j], out var dc) && dcIndex.TryGetValue(dc, out var d))
            {
                current[j] = d;
                before[j] = d;
            }
        }

        var dcs = problem.DatacenterCount;
        var heldBefore = new bool[problem.DatasetCount * dcs];
        for (var x = 0; x < problem.DatasetCount; x++)
        {
            var dataset = problem.Lineage.Datasets[x];
            if (previous.Primaries.TryGetValue(dataset, out var p) && dcIndex.TryGetValue(p, out var pd))
            {
                heldBefore[(x * dcs) + pd] = true;
            }

            foreach (var r in previous.Replicas.GetValueOrDefault(dataset) ?? [])
            {
                if (dcIndex.TryGetValue(r, out var rd))
                {
                    heldBefore[(x * dcs) + rd] = true;
                }
            }
        }

        var state = new PlacementState(problem, current);
        var saving = new double[problem.JobCount];
        var copying = new double[problem.JobCount];
        var copied = new HashSet<(int Dataset, int Datacenter)>(); // migrations already counted this refresh
        var movesLeft = options.MaxMoves;
        var bytesLeft = options.MaxMigrationBytesPerDay;
        var targets = target.JobDatacenter;
        var units = groups
            .Select(g => g.Where(j => before[j] >= 0 && before[j] != targets[j]).ToArray())
            .Where(u => u.Length > 0)
            .Select(u => (Jobs: u, Delta: Trial(state, u, targets)))
            .OrderBy(u => u.Delta)
            .ToList();
        foreach (var (jobs, _) in units)
        {
            TryMove(jobs);
        }

        var singles = Enumerable.Range(0, problem.JobCount).Where(j => before[j] >= 0 && state.JobDatacenter[j] != targets[j])
            .Select(j => (Job: j, Delta: state.MoveDelta(j, targets[j])))
            .Where(s => s.Delta < -1e-6)
            .OrderBy(s => s.Delta)
            .ToList();
        foreach (var (j, _) in singles)
        {
            TryMove([j]);
        }

        state.ReassignPrimaries();
        for (var j = 0; j < problem.JobCount; j++)
        {
            var to = state.JobDatacenter[j];
            if (before[j] >= 0 && before[j] != to)
            {
                moves.Add(new JobMove(problem.Lineage.Jobs[j], problem.Datacenters[before[j]], problem.Datacenters[to], saving[j], copying[j]));
            }
        }

        moves.Sort((a, b) => b.SavesBytesPerDay.CompareTo(a.SavesBytesPerDay));
        return state;

        void TryMove(int[] jobs)
        {
            if (jobs.Length > movesLeft || jobs.Any(j => state.JobDatacenter[j] == targets[j]))
            {
                return;
            }

            var undo = jobs.Select(j => state.JobDatacenter[j]).ToArray();
            double total = 0;
            var fits = true;
            for (var i = 0; i < jobs.Length; i++)
            {
                fits &= state.Fits(jobs[i], targets[jobs[i]]);
                total += state.MoveDelta(jobs[i], targets[jobs[i]]);
                state.Move(jobs[i], targets[jobs[i]]);
            }

            // what the moved jobs' new datacenters must now hold that they did not hold under the previous plan
            var copies = new List<(int Job, int Dataset, int Datacenter)>();
            foreach (var j in jobs)
            {
                var to = targets[j];
                ForEachDataset(problem, j, (x, _) =>
                {
                    var key = (x * dcs) + to;
                    if (!heldBefore[key] && (state.Primary[x] == to || state.HasReplica(x, to)) && !copied.Contains((x, to))
                        && !copies.Exists(c => c.Dataset == x && c.Datacenter == to))
                    {
                        copies.Add((j, x, to));
                    }
                });
            }

            var migration = copies.Sum(c => problem.CopyCost[c.Dataset]);
            if (!fits || total >= -1e-6 || (-total * options.HorizonDays) <= migration || migration > bytesLeft)
            {
                for (var i = jobs.Length - 1; i >= 0; i--)
                {
                    state.Move(jobs[i], undo[i]);
                }

                return;
            }

            foreach (var j in jobs)
            {
                saving[j] = -total / jobs.Length; // a group saves together: each job is listed with its share
            }

            foreach (var (job, x, to) in copies)
            {
                copying[job] += problem.CopyCost[x];
                copied.Add((x, to));
            }

            movesLeft -= jobs.Length;
            bytesLeft -= migration;
        }
    }

    // The cost change of moving these jobs to their targets, measured and undone.
    private static double Trial(PlacementState state, int[] jobs, int[] targets)
    {
        var undo = jobs.Select(j => state.JobDatacenter[j]).ToArray();
        double delta = 0;
        foreach (var j in jobs)
        {
            delta += state.MoveDelta(j, targets[j]);
            state.Move(j, targets[j]);
        }

        for (var i = jobs.Length - 1; i >= 0; i--)
        {
            state.Move(jobs[i], undo[i]);
        }

        return delta;
    }
}
