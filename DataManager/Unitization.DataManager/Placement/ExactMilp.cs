using Google.OrTools.LinearSolver;

namespace Unitization.DataManager.Placement;

/// <summary>
/// The cost model of ARCHITECTURE.md as a mixed-integer linear program solved by SCIP through OR-Tools' MPSolver,
/// over units of jobs that move together (single jobs for the exact problem). Binary <c>a[u,d]</c>: unit u runs in d
/// (exactly one d); binary <c>p[x,d]</c>: x's primary is d (exactly one; fixed where pinned; for a dataset one unit
/// alone writes, <c>p[x,d] = a[writer,d]</c>; else only where a writer runs); continuous <c>h[x,d] >= p[x,d]</c>: d
/// holds x, a replica costing <c>C[x] * (h - p)</c>; continuous <c>m[u,x,d] >= a[u,d] - h[x,d]</c> (a remote read
/// of x's bytes by u) and <c>w[u,x,d] >= a[u,d] - p[x,d]</c> (a remote write; with a pin, the bytes on
/// <c>a[u,d]</c> itself for every d but the pinned one: <see cref="RemotePenalties"/>); the balance limits are rows. With a and
/// p integral an optimal h, m, w is integral too, so the program's optimum is the cost model's optimum. A dataset only
/// one unit touches and no pin constrains costs nothing in an optimum and is left out. The bound returned is SCIP's
/// best dual bound, lowered by a relative 1e-6 for the solver's tolerances.
/// </summary>
internal static class ExactMilp
{
    /// <summary>Models with more penalty columns than this are not built.</summary>
    public const long MaxPenalties = 600_000;

    public static ExactOutcome Solve(PlacementProblem problem, int[] unitOf, int units, int[] hint, TimeSpan timeLimit, CancellationToken cancellationToken)
    {
        var dcs = problem.DatacenterCount;
        var (unitLoad, heaviest, twins, renamed, unitHint, reads, writes, modelled, size) = ExactUnits.Prepare(problem, unitOf, units, hint);
        hint = renamed;
        if (size > MaxPenalties)
        {
            return new ExactOutcome(null, 0, false, $"skipped: {size} penalty terms > {MaxPenalties}");
        }

        // objective in millionths of the total load, balance rows in fractions of it: SCIP's tolerances (1e-9 feasibility
        // set below) stay far below any byte count that matters, on a lineage of kilobytes as of petabytes
        var scale = Math.Max(problem.TotalLoad, double.Epsilon) / 1e6;
        var loadScale = Math.Max(problem.TotalLoad, double.Epsilon);
        using var solver = Solver.CreateSolver("SCIP")
            ?? throw new InvalidOperationException("OR-Tools was built without SCIP; the exact placement needs it.");
        var hinted = new PlacementState(problem, (int[])hint.Clone());
        var hintVars = new List<Variable>();
        var hintValues = new List<double>();
        var objective = solver.Objective();
        double offset = 0;
        var a = new Variable[units, dcs];
        for (var u = 0; u < units; u++)
        {
            var one = solver.MakeConstraint(1, 1);
            for (var d = 0; d < dcs; d++)
            {
                a[u, d] = solver.MakeBoolVar(string.Empty);
                one.SetCoefficient(a[u, d], 1);
                Hint(a[u, d], unitHint[u] == d ? 1 : 0);
            }
        }

        for (var x = 0; x < problem.DatasetCount; x++)
        {
            if (!modelled[x])
            {
                continue;
            }

            var pinned = problem.PinnedPrimary[x];
            var soleWriter = pinned < 0 && writes[x].Count == 1 ? writes[x][0].Unit : -1;
            var copy = problem.CopyCost[x] / scale;
            var p = new Variable?[dcs]; // null with a pin: the constant pinned == d
            var h = new Variable[dcs];
            var exactlyOne = soleWriter < 0 && pinned < 0 ? solver.MakeConstraint(1, 1) : null;
            for (var d = 0; d < dcs; d++)
            {
                p[d] = soleWriter >= 0 ? a[soleWriter, d] : pinned >= 0 ? null : solver.MakeBoolVar(string.Empty);
                if (exactlyOne is not null)
                {
                    exactlyOne.SetCoefficient(p[d], 1);
                    Hint(p[d]!, hinted.Primary[x] == d ? 1 : 0);
                }

                // d holds x: the primary, or a replica paid C * (h - p)
                h[d] = solver.MakeNumVar(pinned == d ? 1 : 0, 1, string.Empty);
                objective.SetCoefficient(h[d], copy);
                Hint(h[d], hinted.Primary[x] == d || hinted.HasReplica(x, d) ? 1 : 0);
                if (p[d] is { } primary)
                {
                    var holds = solver.MakeConstraint(0, double.PositiveInfinity);
                    holds.SetCoefficient(h[d], 1);
                    holds.SetCoefficient(primary, -1);
                }
            }

            offset -= copy; // sum over d of C * p[x,d] is C: the primary is no replica

            if (pinned < 0 && writes[x].Count > 1)
            {
                // a written dataset's primary is where one of its writers runs
                for (var d = 0; d < dcs; d++)
                {
                    var where = solver.MakeConstraint(double.NegativeInfinity, 0);
                    where.SetCoefficient(p[d], 1);
                    foreach (var (unit, _) in writes[x])
                    {
                        where.SetCoefficient(a[unit, d], -1);
                    }
                }
            }

            foreach (var (unit, bytes) in reads[x])
            {
                if (unit != soleWriter)
                {
                    RemotePenalties.Add(solver, a, unit, bytes / scale, h, -1, Hint, d => unitHint[unit] == d && hinted.Primary[x] != d && !hinted.HasReplica(x, d));
                }
            }

            foreach (var (unit, bytes) in writes[x])
            {
                if (unit != soleWriter)
                {
                    RemotePenalties.Add(solver, a, unit, bytes / scale, p, pinned, Hint, d => unitHint[unit] == d && hinted.Primary[x] != d);
                }
            }
        }

        for (var d = 0; d < dcs; d++)
        {
            var load = solver.MakeConstraint(double.NegativeInfinity, problem.Capacity[d] / loadScale);
            for (var u = 0; u < units; u++)
            {
                load.SetCoefficient(a[u, d], unitLoad[u] / loadScale);
            }
        }

        foreach (var other in twins.Skip(1))
        {
            a[heaviest, other].SetUb(0);
        }

        objective.SetOffset(offset);
        objective.SetMinimization();
        solver.SetHint([.. hintVars], [.. hintValues]);
        solver.SetTimeLimit((long)Math.Max(10, timeLimit.TotalMilliseconds));
        solver.SetSolverSpecificParametersAsString("limits/gap = 1e-6\nnumerics/feastol = 1e-9\n");
        Solver.ResultStatus status;
        using (cancellationToken.Register(() => solver.InterruptSolve()))
        {
            status = solver.Solve();
        }

        cancellationToken.ThrowIfCancellationRequested();
        var optimal = status == Solver.ResultStatus.OPTIMAL;
        var bound = status is Solver.ResultStatus.OPTIMAL or Solver.ResultStatus.FEASIBLE or Solver.ResultStatus.NOT_SOLVED
            ? Math.Max(0, objective.BestBound() * scale * (1 - 1e-6))
            : 0;
        if (status is not (Solver.ResultStatus.OPTIMAL or Solver.ResultStatus.FEASIBLE))
        {
            return new ExactOutcome(null, bound, false, status.ToString());
        }

        var jobDatacenter = new int[problem.JobCount];
        var unitDatacenter = new int[units];
        for (var u = 0; u < units; u++)
        {
            var best = 0;
            for (var d = 1; d < dcs; d++)
            {
                best = a[u, d].SolutionValue() > a[u, best].SolutionValue() ? d : best;
            }

            unitDatacenter[u] = best;
        }

        for (var j = 0; j < problem.JobCount; j++)
        {
            jobDatacenter[j] = unitDatacenter[unitOf[j]];
        }

        return new ExactOutcome(jobDatacenter, bound, optimal, optimal ? "Optimal" : "Feasible", objective.Value() * scale);

        void Hint(Variable v, double value)
        {
            hintVars.Add(v);
            hintValues.Add(value);
        }
    }
}
