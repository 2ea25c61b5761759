using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Unitization.DataManager.Communities;

namespace Unitization.Benchmarks.Bench.DataManager;

/// <summary>
/// <c>unitization bench communities</c>: Leiden here against igraph's Leiden (python3-igraph, Debian) side by side on
/// the same planted-partition graph; both partitions are scored by <see cref="Modularity"/>. Only the algorithm is
/// timed on either side (igraph: the <c>community_leiden</c> call on a graph already built; here: <c>Leiden.Run</c> on
/// a CSR graph already built), with the same number of iterations, after one untimed warm-up run each, and the best of
/// <c>--runs</c> runs is kept on both sides, which takes most of the noise of a shared machine out of the ratio.
/// </summary>
internal static class BenchCommunitiesCommand
{
    // The igraph side: loads the edge list, times community_leiden alone, writes the membership.
    private const string IgraphScript = """
        import sys, time
        import igraph as ig
        path, out, n, seed, iterations, runs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
        edges, weights = [], []
        with open(path) as f:
            for line in f:
                u, v, w = line.split()
                edges.append((int(u), int(v)))
                weights.append(float(w))
        g = ig.Graph(n=n, edges=edges)
        g.es["weight"] = weights
        ig.set_random_number_generator(__import__("random").Random(seed))
        def leiden():
            return g.community_leiden(objective_function="modularity", weights="weight", resolution_parameter=1.0, n_iterations=iterations)
        leiden()
        seconds = float("inf")
        for _ in range(runs):
            t = time.perf_counter()
            p = leiden()
            seconds = min(seconds, time.perf_counter() - t)
        with open(out, "w") as f:
            f.write("\n".join(str(c) for c in p.membership))
        print(seconds)
        """;

    public static Command Create()
    {
        var nodes = new Option<int>("--nodes") { Description = "Nodes of the planted-partition graph.", DefaultValueFactory = _ => 200_000 };
        var edges = new Option<int>("--edges") { Description = "Weighted edges.", DefaultValueFactory = _ => 1_000_000 };
        var groups = new Option<int>("--groups") { Description = "Planted groups.", DefaultValueFactory = _ => 1_000 };
        var inside = new Option<double>("--inside") { Description = "Fraction of edges inside a group.", DefaultValueFactory = _ => 0.8 };
        var seed = new Option<long>("--seed") { DefaultValueFactory = _ => 42 };
        var iterations = new Option<int>("--iterations") { Description = "Leiden iterations on both sides (igraph's n_iterations; its default is 2, negative: until stable).", DefaultValueFactory = _ => 2 };
        var runs = new Option<int>("--runs") { Description = "Timed runs on each side; the fastest counts.", DefaultValueFactory = _ => 3 };
        var python = new Option<string>("--python") { Description = "The Python with igraph (Debian's python3-igraph).", DefaultValueFactory = _ => "/usr/bin/python3" };
        var command = new Command("communities", "Leiden here vs igraph's Leiden on a planted-partition graph: seconds and modularity.")
        {
            nodes, edges, groups, inside, seed, iterations, runs, python,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var n = parse.GetValue(nodes);
            var m = parse.GetValue(edges);
            Console.WriteLine($"planted partition: {n} nodes, {m} weighted edges, {parse.GetValue(groups)} groups, {parse.GetValue(inside):P0} inside");
            var (from, to, weight) = PlantedPartition.Generate(n, m, parse.GetValue(groups), parse.GetValue(inside), parse.GetValue(seed));
            var graph = CsrGraph.FromEdges(n, from, to, weight);

            var options = new LeidenOptions(1.0, parse.GetValue(seed), parse.GetValue(iterations));
            var ours = Leiden.Run(graph, options); // warm-up: JIT, not timed
            var ourSeconds = double.PositiveInfinity;
            for (var run = 0; run < Math.Max(1, parse.GetValue(runs)); run++)
            {
                var watch = Stopwatch.StartNew();
                ours = Leiden.Run(graph, options);
                ourSeconds = Math.Min(ourSeconds, watch.Elapsed.TotalSeconds);
            }

            var directory = Directory.CreateTempSubdirectory("unitization-bench-communities-");
            try
            {
                var edgeFile = Path.Combine(directory.FullName, "edges.txt");
                await using (var writer = new StreamWriter(edgeFile))
                {
                    for (var e = 0; e < m; e++)
                    {
                        await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{from[e]} {to[e]} {weight[e]}")).ConfigureAwait(false);
                    }
                }

                var script = Path.Combine(directory.FullName, "igraph_leiden.py");
                await File.WriteAllTextAsync(script, IgraphScript, cancellationToken).ConfigureAwait(false);
                var membershipFile = Path.Combine(directory.FullName, "igraph.membership");
                var (exit, stdout, stderr) = await RunAsync(parse.GetValue(python)!,
                    [script, edgeFile, membershipFile, n.ToString(CultureInfo.InvariantCulture), parse.GetValue(seed).ToString(CultureInfo.InvariantCulture),
                        options.Iterations.ToString(CultureInfo.InvariantCulture), Math.Max(1, parse.GetValue(runs)).ToString(CultureInfo.InvariantCulture)],
                    cancellationToken).ConfigureAwait(false);
                Console.WriteLine($"timed: the algorithm alone, {options.Iterations} iteration(s) on both sides, best of {Math.Max(1, parse.GetValue(runs))} runs after a warm-up; load average {LoadAverage()}");
                Print($"unitization Leiden", ourSeconds, ours.Modularity, ours.CommunityCount);
                if (exit != 0)
                {
                    Console.Error.WriteLine($"igraph run failed (exit {exit}); install it with: apt-get install -y python3-igraph{Environment.NewLine}{stderr.Trim()}");
                    return 1;
                }

                var theirSeconds = double.Parse(stdout.Trim(), CultureInfo.InvariantCulture);
                var theirs = (await File.ReadAllLinesAsync(membershipFile, cancellationToken).ConfigureAwait(false))
                    .Select(l => int.Parse(l, CultureInfo.InvariantCulture)).ToArray();
                var theirModularity = Modularity.Compute(graph, theirs);
                Print("igraph Leiden (baseline)", theirSeconds, theirModularity, theirs.Distinct().Count());
                var ratio = ourSeconds / theirSeconds;
                var difference = ours.Modularity - theirModularity;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"time ratio (ours/igraph) {ratio:F3} (goal <= {TimeRatioGoal:F3}: {Verdict(ratio <= TimeRatioGoal)}); modularity difference (ours-igraph) {Math.Round(difference, 4) + 0.0:+0.0000;-0.0000;+0.0000} (goal >= -{ModularityGoal:F3}: {Verdict(difference >= -ModularityGoal)})"));
                return 0;
            }
            finally
            {
                directory.Delete(recursive: true);
            }
        });
        return command;
    }

    // The goals: at most a fifth of igraph's time, modularity no more than 0.005 below igraph's.
    private const double TimeRatioGoal = 0.2;
    private const double ModularityGoal = 0.005;

    private static string Verdict(bool met) => met ? "met" : "NOT met";

    // The 1-minute load average (Linux), to read the figures by.
    internal static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    private static void Print(string who, double seconds, double modularity, int communities) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{who,-26} seconds {seconds,8:F3}  modularity {modularity:F6}  communities {communities}"));

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
