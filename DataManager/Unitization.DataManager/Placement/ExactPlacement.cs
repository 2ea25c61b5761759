using Google.OrTools.Sat;

namespace Unitization.DataManager.Placement;

/// <summary>
/// The cost model of ARCHITECTURE.md as a 0-1 program solved by CP-SAT (OR-Tools), over units of jobs that move
/// together (single jobs for the exact problem; communities for a coarsened one). Variables: <c>a[u,d]</c> unit u runs in
/// d (exactly one d), <c>p[x,d]</c> x's primary is d (exactly one; fixed where the problem pins it), <c>r[x,d]</c> d holds
/// a replica (at most one of p, r), and per (unit, dataset, d) a penalty <c>m</c> forced by
/// <c>a[u,d] and not held(x,d) implies m</c>, so remote reads and writes are linear; the balance limits are linear
/// constraints. Minimised: replica copy costs plus remote read and write bytes. A dataset only one unit touches and no
/// pin constrains costs nothing in an optimum (its primary goes with the unit) and is left out. Coefficients are
/// integers (bytes scaled); the bound returned is lowered by the largest rounding error, so it stays a proven bound.
/// </summary>
internal static class ExactPlacement
{
    /// <summary>Models with more penalty terms than this are not built (their solve would not fit a refresh).</summary>
    public const long MaxPenalties = 600_000;

    /// <summary>
    /// Solves over <paramref name="unitOf"/> (job → unit, units numbered from 0), starting from <paramref name="hint"/>
    /// (job → datacenter, each unit wholly in one); returns the best job placement found and the proven lower bound
    /// of the coarsened problem (of the problem itself when each unit is one job).
    /// </summary>
    public static ExactOutcome Solve(PlacementProblem problem, int[] unitOf, int units, int[] hint, TimeSpan timeLimit, long seed, CancellationToken cancellationToken)
    {
        var dcs = problem.DatacenterCount;
        var (unitLoad, heaviest, twins, renamed, unitHint, reads, writes, modelled, size) = ExactUnits.Prepare(problem, unitOf, units, hint);
        hint = renamed;
        if (size > MaxPenalties)
        {
            return new ExactOutcome(null, 0, false, $"skipped: {size} penalty terms > {MaxPenalties}");
        }

        double ceiling = 0;
        for (var x = 0; x < problem.DatasetCount; x++)
        {
            if (modelled[x])
            {
                ceiling += (problem.CopyCost[x] * dcs) + reads[x].Sum(t => t.Bytes) + writes[x].Sum(t => t.Bytes);
            }
        }

        // integer coefficients: the worst-case objective maps to about 2^40, so sums stay exact in a double
        var scale = ceiling > 0 ? (double)(1L << 40) / ceiling : 1;
        var loadScale = problem.TotalLoad > 0 ? (double)(1L << 40) / problem.TotalLoad : 1;
        var model = new CpModel();
        var hinted = new PlacementState(problem, (int[])hint.Clone()); // its primaries and replicas: the best for that job placement
        var a = new BoolVar[units, dcs];
        for (var u = 0; u < units; u++)
        {
            for (var d = 0; d < dcs; d++)
            {
                a[u, d] = model.NewBoolVar(string.Empty);
                model.AddHint(a[u, d], unitHint[u] == d);
            }

            model.AddExactlyOne(Enumerable.Range(0, dcs).Select(d => a[u, d]));
        }

        var objective = LinearExpr.NewBuilder();
        long terms = 0;
        for (var x = 0; x < problem.DatasetCount; x++)
        {
            if (!modelled[x])
            {
                continue;
            }

            var p = new BoolVar[dcs];
            var held = new BoolVar[dcs];
            var copy = (long)Math.Round(problem.CopyCost[x] * scale);
            // one writing unit and no pin: the primary is where that unit runs (its writes are then always local)
            var soleWriter = problem.PinnedPrimary[x] < 0 && writes[x].Count == 1 ? writes[x][0].Unit : -1;
            for (var d = 0; d < dcs; d++)
            {
                p[d] = soleWriter >= 0 ? a[soleWriter, d] : model.NewBoolVar(string.Empty);
                var replica = model.NewBoolVar(string.Empty);
                held[d] = model.NewBoolVar(string.Empty);
                model.Add(LinearExpr.Sum([p[d], replica]) == held[d]);
                objective.AddTerm(replica, copy);
                terms++;
                if (soleWriter < 0)
                {
                    model.AddHint(p[d], hinted.Primary[x] == d);
                }

                var hintReplica = hinted.HasReplica(x, d);
                model.AddHint(replica, hintReplica);
                model.AddHint(held[d], hinted.Primary[x] == d || hintReplica);
                if (problem.PinnedPrimary[x] >= 0)
                {
                    model.Add(p[d] == (problem.PinnedPrimary[x] == d ? 1 : 0));
                }
            }

            if (soleWriter < 0)
            {
                model.AddExactlyOne(p);
            }

            if (problem.PinnedPrimary[x] < 0 && writes[x].Count > 1)
            {
                // a written dataset's primary is where one of its writers runs
                for (var d = 0; d < dcs; d++)
                {
                    model.AddBoolOr([p[d].Not(), .. writes[x].Select(t => (ILiteral)a[t.Unit, d])]);
                }
            }

            foreach (var (unit, bytes) in reads[x])
            {
                if (unit != soleWriter)
                {
                    Penalties(unit, bytes, held, d => hinted.Primary[x] == d || hinted.HasReplica(x, d));
                }
            }

            foreach (var (unit, bytes) in writes[x])
            {
                if (unit != soleWriter)
                {
                    Penalties(unit, bytes, p, d => hinted.Primary[x] == d);
                }
            }
        }

        for (var d = 0; d < dcs; d++)
        {
            var load = LinearExpr.NewBuilder();
            for (var u = 0; u < units; u++)
            {
                load.AddTerm(a[u, d], (long)Math.Floor(unitLoad[u] * loadScale));
            }

            // loads rounded down and capacities up: every balanced placement stays feasible, so the bound holds; the
            // caller checks the placement returned against the exact limits
            model.Add(load <= (long)Math.Ceiling(problem.Capacity[d] * loadScale));
        }

        // identical datacenters are interchangeable: the heaviest unit goes to the first of them
        foreach (var other in twins.Skip(1))
        {
            model.Add(a[heaviest, other] == 0);
        }

        model.Minimize(objective);

        var solver = new CpSolver
        {
            StringParameters = string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"max_time_in_seconds:{Math.Max(0.01, timeLimit.TotalSeconds)} num_workers:{Math.Max(8, Environment.ProcessorCount)} random_seed:{seed % int.MaxValue}"),
        };
        CpSolverStatus status;
        using (cancellationToken.Register(solver.StopSearch))
        {
            status = solver.Solve(model);
        }

        cancellationToken.ThrowIfCancellationRequested();
        // each rounded coefficient is off by at most half a scaled unit
        var bound = Math.Max(0, (solver.BestObjectiveBound - (terms * 0.5)) / scale);
        if (status is not (CpSolverStatus.Optimal or CpSolverStatus.Feasible))
        {
            return new ExactOutcome(null, bound, status == CpSolverStatus.Optimal, status.ToString());
        }

        var jobDatacenter = new int[problem.JobCount];
        var unitDatacenter = new int[units];
        for (var u = 0; u < units; u++)
        {
            for (var d = 0; d < dcs; d++)
            {
                if (solver.BooleanValue(a[u, d]))
                {
                    unitDatacenter[u] = d;
                }
            }
        }

        for (var j = 0; j < problem.JobCount; j++)
        {
            jobDatacenter[j] = unitDatacenter[unitOf[j]];
        }

        return new ExactOutcome(jobDatacenter, bound, status == CpSolverStatus.Optimal, status.ToString());

        void Penalties(int unit, double bytes, BoolVar[] holds, Func<int, bool> hintHolds)
        {
            var weight = (long)Math.Round(bytes * scale);
            for (var d = 0; d < dcs; d++)
            {
                var penalty = model.NewBoolVar(string.Empty);
                model.AddBoolOr([a[unit, d].Not(), holds[d], penalty]);
                model.AddHint(penalty, unitHint[unit] == d && !hintHolds(d));
                objective.AddTerm(penalty, weight);
                terms++;
            }
        }
    }

    // The heaviest unit and the datacenters identical to one another (equal capacity; no pinned primary anywhere):
    // a placement and the one with two of them renamed cost the same.
    internal static (int Heaviest, int[] Twins) Twins(PlacementProblem problem, double[] unitLoad)
    {
        if (problem.PinnedPrimary.Any(p => p >= 0) || unitLoad.Length == 0)
        {
            return (-1, []);
        }

        var heaviest = Array.IndexOf(unitLoad, unitLoad.Max());
        for (var d = 0; d < problem.DatacenterCount; d++)
        {
            var twins = Enumerable.Range(0, problem.DatacenterCount)
                .Where(o => Math.Abs(problem.Capacity[o] - problem.Capacity[d]) <= 1e-12 * Math.Max(1, problem.Capacity[d]))
                .ToArray();
            if (twins.Length > 1)
            {
                return (heaviest, twins);
            }
        }

        return (heaviest, []);
    }

    internal static List<(int Unit, double Bytes)>[] Terms(int datasets, int[] start, int[] jobs, double[] bytes, int[] unitOf)
    {
        var terms = new List<(int Unit, double Bytes)>[datasets];
        var at = new Dictionary<int, int>();
        for (var x = 0; x < datasets; x++)
        {
            var list = new List<(int Unit, double Bytes)>(start[x + 1] - start[x]);
            at.Clear();
            for (var e = start[x]; e < start[x + 1]; e++)
            {
                var u = unitOf[jobs[e]];
                if (at.TryGetValue(u, out var i))
                {
                    list[i] = (u, list[i].Bytes + bytes[e]);
                }
                else
                {
                    at[u] = list.Count;
                    list.Add((u, bytes[e]));
                }
            }

            terms[x] = list;
        }

        return terms;
    }
}
