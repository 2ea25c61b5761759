using Google.OrTools.LinearSolver;

namespace Unitization.DataManager.Placement;

/// <summary>
/// The cost model's MILP (<see cref="ExactMilp"/>) restricted to a neighbourhood: the free jobs choose their
/// datacenters, every other job stays where the current placement has it. Only the datasets a free job touches are
/// modelled; a fixed job's read of x in d costs its bytes times <c>1 - h[x,d]</c> and a fixed job's write costs its
/// bytes times <c>1 - p[x,d]</c>, both linear, and each datacenter's room is its capacity less its fixed jobs' load.
/// With the current placement as the hint, SCIP returns the best placement of the free jobs (proven when it says
/// optimal), never one worse than the hint by the model.
/// </summary>
internal static class NeighbourhoodMilp
{
    /// <summary>
    /// Solves for <paramref name="free"/> (distinct job indices) with every other job fixed as
    /// <paramref name="state"/> places it; returns the datacenter of each free job (in order), or null when SCIP found
    /// no placement in time, and whether it proved that placement optimal for the neighbourhood.
    /// </summary>
    public static (int[]? Datacenters, bool Optimal) Solve(PlacementProblem problem, PlacementState state, IReadOnlyList<int> free, TimeSpan timeLimit)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(free);
        var dcs = problem.DatacenterCount;
        var place = state.JobDatacenter;
        var slot = new Dictionary<int, int>(free.Count);
        for (var k = 0; k < free.Count; k++)
        {
            slot[free[k]] = k;
        }

        var scale = Math.Max(problem.TotalLoad, double.Epsilon) / 1e6;
        using var solver = Solver.CreateSolver("SCIP")
            ?? throw new InvalidOperationException("OR-Tools was built without SCIP; the exact placement needs it.");
        var objective = solver.Objective();
        var hintVars = new List<Variable>();
        var hintValues = new List<double>();

        var a = new Variable[free.Count, dcs];
        // each datacenter's room: its capacity less the load the state has there, the free jobs' own load given back
        var room = new double[dcs];
        for (var d = 0; d < dcs; d++)
        {
            room[d] = problem.Capacity[d] - state.Load[d];
        }

        foreach (var j in free)
        {
            room[place[j]] += problem.JobLoad[j];
        }

        for (var k = 0; k < free.Count; k++)
        {
            var one = solver.MakeConstraint(1, 1);
            for (var d = 0; d < dcs; d++)
            {
                a[k, d] = solver.MakeBoolVar(string.Empty);
                one.SetCoefficient(a[k, d], 1);
                Hint(a[k, d], place[free[k]] == d ? 1 : 0);
            }
        }

        for (var d = 0; d < dcs; d++)
        {
            // the room in fractions of the total load, with the same slack the placement's own balance check allows
            var load = solver.MakeConstraint(double.NegativeInfinity, (room[d] + (problem.Capacity[d] * 1e-9) + 1e-9) / Math.Max(problem.TotalLoad, double.Epsilon));
            for (var k = 0; k < free.Count; k++)
            {
                load.SetCoefficient(a[k, d], problem.JobLoad[free[k]] / Math.Max(problem.TotalLoad, double.Epsilon));
            }
        }

        var touched = new HashSet<int>();
        foreach (var j in free)
        {
            for (var e = problem.JobReadStart[j]; e < problem.JobReadStart[j + 1]; e++)
            {
                touched.Add(problem.JobReadDataset[e]);
            }

            for (var e = problem.JobWriteStart[j]; e < problem.JobWriteStart[j + 1]; e++)
            {
                touched.Add(problem.JobWriteDataset[e]);
            }
        }

        var freeReads = new Dictionary<int, double>();
        var freeWrites = new Dictionary<int, double>();
        var fixedReads = new double[dcs];
        var fixedWrites = new double[dcs];
        var fixedWriters = new int[dcs];
        var writers = new HashSet<int>();
        foreach (var x in touched)
        {
            Dataset(x);
        }

        objective.SetMinimization();
        solver.SetHint([.. hintVars], [.. hintValues]);
        solver.SetTimeLimit((long)Math.Max(10, timeLimit.TotalMilliseconds));
        solver.SetSolverSpecificParametersAsString("limits/gap = 1e-7\nnumerics/feastol = 1e-9\n");
        var status = solver.Solve();
        if (status is not (Solver.ResultStatus.OPTIMAL or Solver.ResultStatus.FEASIBLE))
        {
            return (null, false);
        }

        var placed = new int[free.Count];
        for (var k = 0; k < free.Count; k++)
        {
            var best = 0;
            for (var d = 1; d < dcs; d++)
            {
                best = a[k, d].SolutionValue() > a[k, best].SolutionValue() ? d : best;
            }

            placed[k] = best;
        }

        return (placed, status == Solver.ResultStatus.OPTIMAL);

        void Hint(Variable v, double value)
        {
            hintVars.Add(v);
            hintValues.Add(value);
        }

        void Dataset(int x)
        {
            freeReads.Clear();
            freeWrites.Clear();
            writers.Clear();
            Array.Clear(fixedReads);
            Array.Clear(fixedWrites);
            Array.Clear(fixedWriters);
            for (var e = problem.DatasetReadStart[x]; e < problem.DatasetReadStart[x + 1]; e++)
            {
                var j = problem.DatasetReadJob[e];
                if (slot.TryGetValue(j, out var k))
                {
                    freeReads[k] = freeReads.GetValueOrDefault(k) + problem.DatasetReadBytes[e];
                }
                else
                {
                    fixedReads[place[j]] += problem.DatasetReadBytes[e];
                }
            }

            for (var e = problem.DatasetWriteStart[x]; e < problem.DatasetWriteStart[x + 1]; e++)
            {
                var j = problem.DatasetWriteJob[e];
                writers.Add(j);
                if (slot.TryGetValue(j, out var k))
                {
                    freeWrites[k] = freeWrites.GetValueOrDefault(k) + problem.DatasetWriteBytes[e];
                }
                else
                {
                    fixedWrites[place[j]] += problem.DatasetWriteBytes[e];
                    fixedWriters[place[j]]++;
                }
            }

            // the primary: a constant (pinned, or the one fixed writer's datacenter), the one free writer's a[k, ·],
            // or binaries (exactly one) allowed only where a writer runs when jobs write x
            var pinned = problem.PinnedPrimary[x];
            var soleFree = -1;
            var constant = -1;
            var p = new Variable?[dcs];
            if (pinned >= 0)
            {
                constant = pinned;
            }
            else if (writers.Count == 1 && freeWrites.Count == 1)
            {
                soleFree = freeWrites.Keys.First();
                for (var d = 0; d < dcs; d++)
                {
                    p[d] = a[soleFree, d];
                }
            }
            else if (writers.Count == 1)
            {
                constant = Array.FindIndex(fixedWriters, n => n > 0);
            }
            else
            {
                var exactlyOne = solver.MakeConstraint(1, 1);
                for (var d = 0; d < dcs; d++)
                {
                    p[d] = solver.MakeBoolVar(string.Empty);
                    exactlyOne.SetCoefficient(p[d], 1);
                    Hint(p[d]!, state.Primary[x] == d ? 1 : 0);
                    if (writers.Count > 0 && fixedWriters[d] == 0)
                    {
                        var where = solver.MakeConstraint(double.NegativeInfinity, 0);
                        where.SetCoefficient(p[d], 1);
                        foreach (var k in freeWrites.Keys)
                        {
                            where.SetCoefficient(a[k, d], -1);
                        }
                    }
                }
            }

            var copy = problem.CopyCost[x] / scale;
            var h = new Variable[dcs];
            for (var d = 0; d < dcs; d++)
            {
                // d holds x: the primary, or a replica paid C * (h - p); a fixed job's read there saves its bytes
                h[d] = solver.MakeNumVar(constant == d ? 1 : 0, 1, string.Empty);
                objective.SetCoefficient(h[d], copy - (fixedReads[d] / scale));
                Hint(h[d], state.Primary[x] == d || state.HasReplica(x, d) ? 1 : 0);
                if (p[d] is { } primary)
                {
                    var holds = solver.MakeConstraint(0, double.PositiveInfinity);
                    holds.SetCoefficient(h[d], 1);
                    holds.SetCoefficient(primary, -1);
                    // a fixed job's write there is local when x's primary is there
                    objective.SetCoefficient(primary, objective.GetCoefficient(primary) - (fixedWrites[d] / scale));
                }
            }

            foreach (var (k, bytes) in freeReads)
            {
                if (k != soleFree)
                {
                    RemotePenalties.Add(solver, a, k, bytes / scale, h, -1, Hint, d => place[free[k]] == d && state.Primary[x] != d && !state.HasReplica(x, d));
                }
            }

            foreach (var (k, bytes) in freeWrites)
            {
                if (k != soleFree)
                {
                    RemotePenalties.Add(solver, a, k, bytes / scale, p, constant, Hint, d => place[free[k]] == d && state.Primary[x] != d);
                }
            }
        }
    }
}
