using System.CommandLine;
using Unitization.DataManager.Cli;
using Unitization.DataManager.Lineage;
using Unitization.DataManager.Placement;
using Unitization.DataManager.Plans;

namespace Unitization.Benchmarks.Bench.DataManager;

/// <summary>
/// <c>unitization bench place</c>: writes a synthetic lineage (default 250k jobs / 1M read edges), runs <c>place</c>
/// on it end to end, and prints the cross-datacenter bytes against the hash and one-datacenter-per-DAG baselines.
/// </summary>
internal static class BenchPlaceCommand
{
    public static readonly string[] DemoSourceTables = ["sales.orders", "sales.customers", "web.clicks", "web.sessions", "ml.features"];

    public static Command Create()
    {
        var jobs = new Option<int>("--jobs") { DefaultValueFactory = _ => 250_000 };
        var reads = new Option<int>("--reads") { Description = "Read edges (job reads table) per day.", DefaultValueFactory = _ => 1_000_000 };
        var days = new Option<int>("--days") { DefaultValueFactory = _ => 1 };
        var datacenters = new Option<string>("--datacenters") { DefaultValueFactory = _ => "dcA=5,dcB=3,dcC=2" };
        var seed = new Option<long>("--seed") { DefaultValueFactory = _ => 42 };
        var writeLineage = new Option<FileInfo?>("--write-lineage") { Description = "Only write the synthetic lineage to this file (e.g. the demo's)." };
        var solverSeconds = new Option<double>("--solver-seconds") { Description = "The plan's exact-phase time limit (all solvers together).", DefaultValueFactory = _ => 10 };
        var exact = new Option<bool>("--exact") { Description = "Plan cost against the best placement known (two more plans with other seeds, the neighbourhood search and SCIP; the optimum where SCIP proves it) on shaped lineages of --sizes jobs." };
        var sizes = new Option<string>("--sizes") { Description = "With --exact: lineage sizes in jobs.", DefaultValueFactory = _ => "500,2000,5000" };
        var referenceSeconds = new Option<double>("--reference-seconds") { Description = "With --exact: the reference solve's time limit.", DefaultValueFactory = _ => 60 };
        var lineages = new Option<int>("--lineages") { Description = "With --exact: lineages of each size (seeds --seed, +100, +200, ...); more than one adds the mean and worst plan ÷ reference.", DefaultValueFactory = _ => 1 };
        var command = new Command("place", "place end to end on a synthetic lineage, against hash and one-DC-per-DAG placement; --exact: against the optimum.")
        {
            jobs, reads, days, datacenters, seed, writeLineage, solverSeconds, exact, sizes, referenceSeconds, lineages,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(exact))
            {
                var list = parse.GetValue(sizes)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(t => int.Parse(t, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
                ExactPlacementBenchmark.Run(list, parse.GetValue(seed), parse.GetValue(lineages), parse.GetValue(solverSeconds), parse.GetValue(referenceSeconds), cancellationToken);
                return 0;
            }

            var end = new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);
            if (parse.GetValue(writeLineage) is { } target)
            {
                SyntheticLineage.Write(target.FullName, parse.GetValue(jobs), parse.GetValue(reads), parse.GetValue(days), parse.GetValue(seed), DemoSourceTables, end);
                Console.WriteLine($"wrote {target.FullName}");
                return 0;
            }

            var directory = Directory.CreateTempSubdirectory("unitization-bench-place-");
            try
            {
                var lineage = Path.Combine(directory.FullName, "lineage.jsonl");
                Console.WriteLine($"synthetic lineage: {parse.GetValue(jobs)} jobs, ~{parse.GetValue(reads)} read edges/day, {parse.GetValue(days)} day(s)");
                SyntheticLineage.Write(lineage, parse.GetValue(jobs), parse.GetValue(reads), parse.GetValue(days), parse.GetValue(seed), DemoSourceTables, end);
                Console.WriteLine($"lineage file: {new FileInfo(lineage).Length / (1 << 20)} MiB");
                var (ids, shares) = DatacenterShares.Parse(parse.GetValue(datacenters)!);
                var settings = new PlanSettings(ids, shares, 0.1, new PlacementOptions(parse.GetValue(seed), SolverSeconds: parse.GetValue(solverSeconds)), []);
                var outcome = await PlaceRun.RunAsync(lineage, 7, settings, null, Path.Combine(directory.FullName, "plan.json"), TimeProvider.System, cancellationToken)
                    .ConfigureAwait(false);
                PlaceRun.PrintSummary(outcome, lineage);
                var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
                Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"process CPU seconds so far (generation included) {cpu:F1}; goal: place end to end under 15 s on this machine"));
                return 0;
            }
            finally
            {
                directory.Delete(recursive: true);
            }
        });
        return command;
    }
}
