using System.Diagnostics;
using System.Globalization;
using Unitization.DataManager.Placement;
using Unitization.DataManager.Plans;

namespace Unitization.Benchmarks.Bench.DataManager;

/// <summary>
/// <c>bench place --exact</c>: on shaped lineages (<see cref="ShapedLineage"/>, hub sources pinned where they land) of
/// each size, for two datacenters 1:1 and three 5:3:2, the plan <c>place</c> computes (heuristic, then the solvers for
/// <c>--solver-seconds</c>) against the reference: SCIP on the whole problem (<see cref="ExactMilp"/>, the model the
/// plan's own exact phase solves) for <c>--reference-seconds</c>, started from the plan. Prints the plan's cost, the
/// optimum when the reference proves it (else the best placement known and the best proven bound), plan ÷ optimum
/// (plan ÷ bound when unproven: the most the plan can be above the optimum), the gap the plan itself reports, and the
/// heuristic alone ÷ optimum.
/// </summary>
internal static class ExactPlacementBenchmark
{
    private static readonly (string Name, string[] Ids, double[] Shares)[] Layouts =
    [
        ("2 DCs 1:1", ["dcA", "dcB"], [1, 1]),
        ("3 DCs 5:3:2", ["dcA", "dcB", "dcC"], [5, 3, 2]),
    ];

    public static void Run(IReadOnlyList<int> sizes, long seed, double solverSeconds, double referenceSeconds, CancellationToken cancellationToken)
    {
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c,
            $"plan: place with a {solverSeconds:F0} s solver limit; reference: SCIP on the whole problem for {referenceSeconds:F0} s from the plan; hub sources pinned"));
        Console.WriteLine(string.Create(c,
            $"{"lineage",-22} {"layout",-12} {"plan/day",11} {"optimum or bound",20} {"plan/opt",9} {"plan gap",9} {"heur/opt",9} {"reference",-18} {"plan s",7} {"ref s",7}"));
        foreach (var jobs in sizes)
        {
            var lineage = ShapedLineage.Create(jobs, seed);
            foreach (var (name, ids, shares) in Layouts)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var pins = ShapedLineage.SourcePrimaries(lineage, ids, shares);
                var settings = new PlanSettings(ids, shares, 0.1, new PlacementOptions(seed, SolverSeconds: solverSeconds), pins);
                var watch = Stopwatch.StartNew();
                var plan = PlanComputation.Compute(lineage, settings, null, TimeProvider.System, null, cancellationToken);
                var planSeconds = watch.Elapsed.TotalSeconds;
                var heuristic = PlanComputation.Compute(lineage, settings with { Placement = settings.Placement with { SolverSeconds = 0 } },
                    null, TimeProvider.System, null, cancellationToken);
                var cost = plan.Summary.CrossDcBytesPerDay;
                var label = $"{jobs} jobs, {lineage.ReadJob.Length} reads";
                if (!(referenceSeconds > 0))
                {
                    Console.WriteLine(string.Create(c,
                        $"{label,-22} {name,-12} {Gib(cost),11} {Gib(plan.Summary.LowerBoundBytesPerDay) + " bound",20} {"",9} {plan.Summary.Gap,9:P2} {Gib(heuristic.Summary.CrossDcBytesPerDay),9} {plan.Summary.Solver,-18} {planSeconds,7:F1}"));
                    continue;
                }

                var problem = PlanComputation.Problem(lineage, settings, null);
                watch.Restart();
                var reference = ExactMilp.Solve(problem, [.. Enumerable.Range(0, problem.JobCount)], problem.JobCount, Placement(problem, plan),
                    TimeSpan.FromSeconds(referenceSeconds), cancellationToken);
                var referenceSeconds2 = watch.Elapsed.TotalSeconds;
                var best = cost;
                if (reference.JobDatacenter is { } placed && new PlacementState(problem, placed) is var state && PlacementCost.IsBalanced(problem, state.Load))
                {
                    best = Math.Min(best, state.Cost().Total);
                }

                var bound = Math.Max(reference.LowerBound, plan.Summary.LowerBoundBytesPerDay);
                var proven = reference.Optimal || best <= bound * (1 + 1e-6);
                var optimum = proven ? $"{Gib(best)} optimum" : $"{Gib(bound)} bound";
                var ratio = proven ? cost / best : bound > 0 ? cost / bound : double.NaN;
                var heuristicRatio = heuristic.Summary.CrossDcBytesPerDay / (proven ? best : bound);
                Console.WriteLine(string.Create(c,
                    $"{label,-22} {name,-12} {Gib(cost),11} {optimum,20} {(proven ? ratio.ToString("F4", c) : bound > 0 ? "<=" + ratio.ToString("F4", c) : "n/a"),9} {plan.Summary.Gap,9:P2} {(proven ? heuristicRatio.ToString("F3", c) : bound > 0 ? "<=" + heuristicRatio.ToString("F3", c) : "n/a"),9} {reference.Status + (proven ? "" : $" best {Gib(best)}"),-18} {planSeconds,7:F1} {referenceSeconds2,7:F1}"));
            }
        }
    }

    private static string Gib(double bytes) => (bytes / (1 << 30)).ToString("F2", CultureInfo.InvariantCulture) + " GiB";

    private static int[] Placement(PlacementProblem problem, PlacementPlan plan)
    {
        var index = plan.Jobs.ToDictionary(j => new Unitization.DataManager.Lineage.JobRef(j.Namespace, j.Name), j => Array.IndexOf(problem.Datacenters, j.Datacenter));
        return [.. problem.Lineage.Jobs.Select(j => index[j])];
    }
}
