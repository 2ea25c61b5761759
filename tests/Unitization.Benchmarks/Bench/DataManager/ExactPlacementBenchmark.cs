using System.Diagnostics;
using System.Globalization;
using Unitization.DataManager.Lineage;
using Unitization.DataManager.Placement;
using Unitization.DataManager.Plans;

namespace Unitization.Benchmarks.Bench.DataManager;

/// <summary>
/// <c>bench place --exact</c>: on shaped lineages (<see cref="ShapedLineage"/>) of each size, for two datacenters 1:1 and
/// three 5:3:2, the plan <c>place</c> computes (heuristic, then CP-SAT for its time limit) against a reference: the
/// best of the same computation with the longer reference limit, and CP-SAT and SCIP (<see cref="ExactMilp"/>) on the
/// whole problem for that limit each, started from it (the optimum when proven optimal; otherwise the best placement
/// known); the bound is the best any of those runs proved. Prints plan ÷ reference,
/// plan ÷ the best proven lower bound (the most the plan can be above the optimum), and the heuristic alone ÷ reference
/// (what placement was before the solver).
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
        Console.WriteLine(string.Create(c, $"plan: place with a {solverSeconds:F0} s solver limit; reference: place with {referenceSeconds:F0} s, then CP-SAT and SCIP on the whole problem for {referenceSeconds:F0} s each from there; bound: the best proven"));
        Console.WriteLine(string.Create(c,
            $"{"lineage",-20} {"layout",-12} {"plan/ref",9} {"plan/bound",11} {"heur./ref",10} {"ref cp-sat/scip",-17} {"plan s",7} {"in-plan gap",11} {"plan/day",12}"));
        foreach (var jobs in sizes)
        {
            var lineage = ShapedLineage.Create(jobs, seed);
            foreach (var (name, ids, shares) in Layouts)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var watch = Stopwatch.StartNew();
                var plan = PlanComputation.Compute(lineage, new PlanSettings(ids, shares, 0.1, new PlacementOptions(seed, SolverSeconds: solverSeconds), []),
                    null, TimeProvider.System, null, cancellationToken);
                var planSeconds = watch.Elapsed.TotalSeconds;
                var heuristic = PlanComputation.Compute(lineage, new PlanSettings(ids, shares, 0.1, new PlacementOptions(seed, SolverSeconds: 0), []),
                    null, TimeProvider.System, null, cancellationToken);

                if (!(referenceSeconds > 0))
                {
                    Console.WriteLine(string.Create(c, $"{$"{jobs} jobs",-20} {name,-12} plan {Gib(plan.Summary.CrossDcBytesPerDay)} in {planSeconds:F1} s ({plan.Summary.Solver}); heuristic alone {Gib(heuristic.Summary.CrossDcBytesPerDay)}"));
                    continue;
                }

                var longer = PlanComputation.Compute(lineage, new PlanSettings(ids, shares, 0.1, new PlacementOptions(seed + 1, SolverSeconds: referenceSeconds), []),
                    null, TimeProvider.System, null, cancellationToken);
                var problem = new PlacementProblem(lineage, ids, shares, 0.1);
                var reference = ExactPlacement.Solve(problem, [.. Enumerable.Range(0, problem.JobCount)], problem.JobCount, Placement(problem, longer),
                    TimeSpan.FromSeconds(referenceSeconds), seed, cancellationToken);
                var milp = ExactMilp.Solve(problem, [.. Enumerable.Range(0, problem.JobCount)], problem.JobCount, Placement(problem, longer),
                    TimeSpan.FromSeconds(referenceSeconds), cancellationToken);
                var referenceCost = Math.Min(plan.Summary.CrossDcBytesPerDay, longer.Summary.CrossDcBytesPerDay);
                foreach (var solved in new[] { reference, milp })
                {
                    if (solved.JobDatacenter is { } best && new PlacementState(problem, best) is var state && PlacementCost.IsBalanced(problem, state.Load))
                    {
                        referenceCost = Math.Min(referenceCost, state.Cost().Total);
                    }
                }

                var bound = Math.Max(Math.Max(reference.LowerBound, milp.LowerBound), Math.Max(plan.Summary.LowerBoundBytesPerDay, longer.Summary.LowerBoundBytesPerDay));
                var status = reference.Optimal || milp.Optimal ? "Optimal" : $"{reference.Status}/{milp.Status}";
                var cost = plan.Summary.CrossDcBytesPerDay;
                Console.WriteLine(string.Create(c,
                    $"{$"{jobs} jobs, {lineage.ReadJob.Length} reads",-20} {name,-12} {cost / referenceCost,9:F4} {Ratio(cost, bound),11} {heuristic.Summary.CrossDcBytesPerDay / referenceCost,10:F3} {status,-17} {planSeconds,7:F1} {plan.Summary.Gap,11:P1} {Gib(cost),12}"));
            }
        }
    }

    private static string Gib(double bytes) => (bytes / (1 << 30)).ToString("F1", CultureInfo.InvariantCulture) + " GiB";

    private static string Ratio(double cost, double bound) =>
        bound > 0 ? (cost / bound).ToString("F4", CultureInfo.InvariantCulture) : "n/a";

    private static int[] Placement(PlacementProblem problem, PlacementPlan plan)
    {
        var index = plan.Jobs.ToDictionary(j => new JobRef(j.Namespace, j.Name), j => Array.IndexOf(problem.Datacenters, j.Datacenter));
        return [.. problem.Lineage.Jobs.Select(j => index[j])];
    }
}
