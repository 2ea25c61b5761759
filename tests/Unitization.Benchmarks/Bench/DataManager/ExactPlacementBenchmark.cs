using System.Diagnostics;
using System.Globalization;
using Unitization.DataManager.Placement;
using Unitization.DataManager.Plans;

namespace Unitization.Benchmarks.Bench.DataManager;

/// <summary>
/// <c>bench place --exact</c>: on shaped lineages (<see cref="ShapedLineage"/>, hub sources pinned where they land) of
/// each size, for two datacenters 1:1 and three 5:3:2, the plan <c>place</c> computes (heuristic, then the solvers for
/// <c>--solver-seconds</c>) against the reference, given <c>--reference-seconds</c>: two more plans with other seeds
/// for a third of it, the neighbourhood search from the best placement so far for a sixth, then SCIP on the whole
/// problem (<see cref="ExactMilp"/>, the model the plan's own exact phase solves) from there for half. Prints the plan's cost, the reference (the optimum when SCIP proves
/// it, else the best placement known), plan ÷ reference, plan ÷ the best proven bound (SCIP's or the plan's own: the
/// most the plan can be above the optimum), the gap the plan itself reports, and the heuristic alone ÷ reference. With several lineages a size
/// (seeds 100 apart: the search is random, and one lineage's plan can land in a cheaper or dearer local minimum from
/// run to run), the mean and worst plan ÷ reference of each size and layout follow.
/// </summary>
internal static class ExactPlacementBenchmark
{
    private static readonly (string Name, string[] Ids, double[] Shares)[] Layouts =
    [
        ("2 DCs 1:1", ["dcA", "dcB"], [1, 1]),
        ("3 DCs 5:3:2", ["dcA", "dcB", "dcC"], [5, 3, 2]),
    ];

    public static void Run(IReadOnlyList<int> sizes, long firstSeed, int lineages, double solverSeconds, double referenceSeconds, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lineages, 1);
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c,
            $"plan: place with a {solverSeconds:F0} s solver limit; reference: the best of the plan and two plans with other seeds, searched on, then SCIP on the whole problem, {referenceSeconds:F0} s in all; hub sources pinned"));
        Console.WriteLine(string.Create(c,
            $"{"lineage",-22} {"layout",-12} {"plan/day",11} {"reference",20} {"plan/ref",9} {"plan/bnd",9} {"plan gap",9} {"heur/ref",9} {"SCIP",-26} {"plan s",7} {"ref s",7}"));
        var ratios = new Dictionary<(int Jobs, string Layout), List<double>>();
        foreach (var (jobs, seed) in sizes.SelectMany(size => Enumerable.Range(0, lineages).Select(i => (size, firstSeed + (100L * i)))))
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

                // the reference: a third of the time for two more plans with other seeds (the search is random: each
                // ends in its own local minimum), a sixth for the neighbourhood search from the best placement so far,
                // half for SCIP on the whole model from there; the best placement any finds, and SCIP's bound
                var problem = PlanComputation.Problem(lineage, settings, null);
                watch.Restart();
                var start = Placement(problem, plan);
                var best = cost;
                for (var k = 1; k <= 2; k++)
                {
                    var other = PlanComputation.Compute(lineage, settings with { Placement = settings.Placement with { Seed = seed + k, SolverSeconds = referenceSeconds / 6 } },
                        null, TimeProvider.System, null, cancellationToken);
                    if (other.Summary.Balanced && other.Summary.CrossDcBytesPerDay < best)
                    {
                        (best, start) = (other.Summary.CrossDcBytesPerDay, Placement(problem, other));
                    }
                }

                var searched = new PlacementState(problem, start);
                NeighbourhoodSearch.Run(problem, searched, TimeSpan.FromSeconds(referenceSeconds / 6), seed + 3, cancellationToken);
                best = Math.Min(best, PlacementCost.IsBalanced(problem, searched.Load) ? searched.Cost().Total : double.PositiveInfinity);
                var reference = ExactMilp.Solve(problem, [.. Enumerable.Range(0, problem.JobCount)], problem.JobCount, searched.JobDatacenter,
                    TimeSpan.FromSeconds(referenceSeconds / 2), cancellationToken);
                var referenceSeconds2 = watch.Elapsed.TotalSeconds;
                if (reference.JobDatacenter is { } placed && new PlacementState(problem, placed) is var state && PlacementCost.IsBalanced(problem, state.Load))
                {
                    best = Math.Min(best, state.Cost().Total);
                }

                var bound = Math.Max(reference.LowerBound, plan.Summary.LowerBoundBytesPerDay);
                var proven = reference.Optimal || best <= bound * (1 + 1e-6);
                var known = proven ? $"{Gib(best)} optimum" : $"{Gib(best)} best";
                var ratio = cost / best;
                (ratios.TryGetValue((jobs, name), out var list) ? list : ratios[(jobs, name)] = []).Add(ratio);
                var heuristicRatio = heuristic.Summary.CrossDcBytesPerDay / best;
                Console.WriteLine(string.Create(c,
                    $"{label,-22} {name,-12} {Gib(cost),11} {known,20} {ratio,9:F4} {(bound > 0 ? "<=" + (cost / bound).ToString("F3", c) : "n/a"),9} {plan.Summary.Gap,9:P2} {heuristicRatio,9:F3} {reference.Status + $" bound {Gib(bound)}",-26} {planSeconds,7:F1} {referenceSeconds2,7:F1}"));
            }
        }

        Summary(ratios, c);
    }

    private static void Summary(Dictionary<(int Jobs, string Layout), List<double>> ratios, CultureInfo c)
    {
        foreach (var ((jobs, layout), list) in ratios.Where(r => r.Value.Count > 1))
        {
            Console.WriteLine(string.Create(c,
                $"{jobs} jobs, {layout}: plan ÷ reference mean {list.Average():F4}, worst {list.Max():F4} over {list.Count} lineages"));
        }
    }

    private static string Gib(double bytes) => (bytes / (1 << 30)).ToString("F2", CultureInfo.InvariantCulture) + " GiB";

    private static int[] Placement(PlacementProblem problem, PlacementPlan plan)
    {
        var index = plan.Jobs.ToDictionary(j => new Unitization.DataManager.Lineage.JobRef(j.Namespace, j.Name), j => Array.IndexOf(problem.Datacenters, j.Datacenter));
        return [.. problem.Lineage.Jobs.Select(j => index[j])];
    }
}
