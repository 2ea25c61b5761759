using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Unitization.DataManager.Communities;

namespace Unitization.Benchmarks.Bench.DataManager;

/// <summary>
/// <c>unitization bench communities</c>: Leiden here against igraph's Leiden (python3-igraph, Debian) side by side on
/// the same planted-partition graph; both partitions are scored by <see cref="Modularity"/>, with the same number of
/// iterations. Two ratios per graph (<see cref="CommunitiesComparison"/>): the algorithm alone, on one thread on both
/// sides (best of <c>--runs</c> after a warm-up, which takes most of the noise of a shared machine out of the ratio;
/// modularity the mean over the runs, seeded <c>--seed</c>, <c>--seed</c> + 1, ...), and from a cold
/// start (the whole <c>unitization communities</c> process against igraph's load of the edge file plus one Leiden).
/// Ratios are of CPU seconds (wall ratios beside them: on a shared machine wall time is mostly the wait for a core).
/// <c>--sweep</c> runs mixing 10/25/40 % by 100/400/2,000 groups.
/// </summary>
internal static class BenchCommunitiesCommand
{
    public static Command Create()
    {
        var nodes = new Option<int>("--nodes") { Description = "Nodes of the planted-partition graph.", DefaultValueFactory = _ => 200_000 };
        var edges = new Option<int>("--edges") { Description = "Weighted edges.", DefaultValueFactory = _ => 1_000_000 };
        var groups = new Option<int>("--groups") { Description = "Planted groups.", DefaultValueFactory = _ => 1_000 };
        var inside = new Option<double>("--inside") { Description = "Fraction of edges inside a group.", DefaultValueFactory = _ => 0.8 };
        var sweep = new Option<bool>("--sweep") { Description = "Mixing (edges between groups) 10, 25 and 40 % by 100, 400 and 2,000 groups." };
        var seed = new Option<long>("--seed") { DefaultValueFactory = _ => 42 };
        var iterations = new Option<int>("--iterations") { Description = "Leiden iterations on both sides (igraph's n_iterations; its default is 2, negative: until stable).", DefaultValueFactory = _ => 2 };
        var runs = new Option<int>("--runs") { Description = "Timed runs on each side; the fastest counts.", DefaultValueFactory = _ => 3 };
        var python = new Option<string>("--python") { Description = "The Python with igraph (Debian's python3-igraph).", DefaultValueFactory = _ => "/usr/bin/python3" };
        var unitization = new Option<string>("--unitization")
        {
            Description = "The executable timed as a whole process: unitization-communities (Native AOT), or unitization (or its .dll) with the communities verb; default: infra/publish.sh's unitization-communities, else its ReadyToRun unitization, else the build.",
            DefaultValueFactory = _ => DefaultExecutable(),
        };
        var command = new Command("communities", "Leiden here vs igraph's Leiden on planted-partition graphs: seconds and modularity, alone and from a cold start.")
        {
            nodes, edges, groups, inside, sweep, seed, iterations, runs, python, unitization,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var n = parse.GetValue(nodes);
            var m = parse.GetValue(edges);
            var configurations = parse.GetValue(sweep)
                ? [.. from mixing in (double[])[0.10, 0.25, 0.40] from g in (int[])[100, 400, 2000] select (g, 1 - mixing)]
                : new[] { (parse.GetValue(groups), parse.GetValue(inside)) };
            var executable = parse.GetValue(unitization) is { Length: > 0 } path && File.Exists(path) ? path : null;
            var iterationCount = parse.GetValue(iterations);
            var runCount = Math.Max(1, parse.GetValue(runs));
            Console.WriteLine($"planted partitions: {n} nodes, {m} weighted edges; {iterationCount} Leiden iteration(s) on both sides; alone: best of {runCount} after a warm-up, one thread, Q the mean over seeds {parse.GetValue(seed)}..{parse.GetValue(seed) + runCount - 1}");
            Console.WriteLine($"cold: {executable ?? "(no unitization executable found: give --unitization)"}: the communities verb as a whole process, against igraph's load + first Leiden (timed inside Python)");
            Console.WriteLine("alone: Leiden in process (ours) and community_leiden (igraph); process: the whole CLI process and igraph's load + Leiden; CPU seconds, ratio of CPU (of wall)");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{"mixing",6} {"groups",6} | {"ours",6} {"igraph",6} {"ratio",6} {"(wall)",7} | {"proc.",6} {"igraph",6} {"ratio",6} {"(wall)",7} | {"Q ours",7} {"Q igraph",8} {"Q proc.",7} | verdicts (alone <= {TimeRatioGoal}, process <= {ColdRatioGoal}, Q >= igraph - {ModularityGoal})"));
            var allMet = true;
            foreach (var (groupCount, insideShare) in configurations)
            {
                var result = await CommunitiesComparison.RunAsync(n, m, groupCount, insideShare, parse.GetValue(seed), iterationCount, runCount,
                    parse.GetValue(python)!, executable, cancellationToken).ConfigureAwait(false);
                var alone = result.Ours.Over(result.Igraph);
                var cold = result.OursProcess.Over(result.IgraphCold);
                var modularityMet = result.OursModularity >= result.IgraphModularity - ModularityGoal
                    && !(result.OursProcessModularity < result.IgraphModularity - ModularityGoal);
                var met = alone.Cpu <= TimeRatioGoal && cold.Cpu <= ColdRatioGoal && modularityMet;
                allMet &= met;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{1 - insideShare,6:P0} {groupCount,6} | {result.Ours.Cpu,6:F2} {result.Igraph.Cpu,6:F2} {alone.Cpu,6:F3} {$"({alone.Wall:F2})",7} | {result.OursProcess.Cpu,6:F2} {result.IgraphCold.Cpu,6:F2} {cold.Cpu,6:F3} {$"({cold.Wall:F2})",7} | {result.OursModularity,7:F4} {result.IgraphModularity,8:F4} {result.OursProcessModularity,7:F4} | {Verdict(alone.Cpu <= TimeRatioGoal)}, {Verdict(cold.Cpu <= ColdRatioGoal)}, {Verdict(modularityMet)}"));
            }

            Console.WriteLine($"load average {LoadAverage()}; all goals {Verdict(allMet)}");
            return 0;
        });
        return command;
    }

    // infra/publish.sh's outputs (the Native AOT unitization-communities, else the ReadyToRun unitization), else the
    // build ./unitization makes (all beside this bench's own folder)
    private static string DefaultExecutable()
    {
        var artifacts = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", ".."));
        string[] candidates =
        [
            Path.Combine(artifacts, "publish", CommunitiesComparison.StandaloneName, CommunitiesComparison.StandaloneName),
            Path.Combine(artifacts, "publish", "unitization", "unitization"),
        ];
        return candidates.FirstOrDefault(File.Exists) ?? Path.Combine(artifacts, "bin", "unitization", "unitization.dll");
    }

    // The issue's goals: Leiden alone at most a fifth of igraph's time, the whole process at most 0.3 of igraph's load
    // plus Leiden, modularity (the mean over the runs' seeds) no more than 0.001 below igraph's.
    private const double TimeRatioGoal = 0.2;
    private const double ColdRatioGoal = 0.3;
    private const double ModularityGoal = 0.001;

    private static string Verdict(bool met) => met ? "met" : "NOT met";

    // The 1-minute load average (Linux), to read the figures by.
    internal static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    internal static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string program, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            return (process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (127, string.Empty, $"cannot start {program}: {ex.Message}");
        }
    }
}
