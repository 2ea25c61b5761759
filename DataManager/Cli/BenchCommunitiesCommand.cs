using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Unitization.DataManager.Communities;

namespace Unitization.DataManager.Cli;

/// <summary>
/// <c>unitization bench communities</c>: Leiden here against igraph's Leiden (python3-igraph, Debian) side by side on
/// the same planted-partition graph; both partitions are scored by <see cref="Modularity"/>.
/// </summary>
internal static class BenchCommunitiesCommand
{
    // The igraph side: loads the edge list, times community_leiden alone, writes the membership.
    private const string IgraphScript = """
        import sys, time
        import igraph as ig
        path, out, n, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
        edges, weights = [], []
        with open(path) as f:
            for line in f:
                u, v, w = line.split()
                edges.append((int(u), int(v)))
                weights.append(float(w))
        g = ig.Graph(n=n, edges=edges)
        g.es["weight"] = weights
        ig.set_random_number_generator(__import__("random").Random(seed))
        t = time.perf_counter()
        p = g.community_leiden(objective_function="modularity", weights="weight", resolution_parameter=1.0, n_iterations=2)
        seconds = time.perf_counter() - t
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
        var python = new Option<string>("--python") { Description = "The Python with igraph (Debian's python3-igraph).", DefaultValueFactory = _ => "/usr/bin/python3" };
        var command = new Command("communities", "Leiden here vs igraph's Leiden on a planted-partition graph: seconds and modularity.")
        {
            nodes, edges, groups, inside, seed, python,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var n = parse.GetValue(nodes);
            var m = parse.GetValue(edges);
            Console.WriteLine($"planted partition: {n} nodes, {m} weighted edges, {parse.GetValue(groups)} groups, {parse.GetValue(inside):P0} inside");
            var (from, to, weight) = PlantedPartition.Generate(n, m, parse.GetValue(groups), parse.GetValue(inside), parse.GetValue(seed));
            var graph = CsrGraph.FromEdges(n, from, to, weight);

            Leiden.Run(graph, new LeidenOptions(1.0, parse.GetValue(seed))); // warm-up: JIT, not timed
            var watch = Stopwatch.StartNew();
            var ours = Leiden.Run(graph, new LeidenOptions(1.0, parse.GetValue(seed)));
            var ourSeconds = watch.Elapsed.TotalSeconds;

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
                    [script, edgeFile, membershipFile, n.ToString(CultureInfo.InvariantCulture), parse.GetValue(seed).ToString(CultureInfo.InvariantCulture)],
                    cancellationToken).ConfigureAwait(false);
                Print("unitization Leiden", ourSeconds, ours.Modularity, ours.CommunityCount);
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
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"time ratio (ours/igraph) {ourSeconds / theirSeconds:F3} (goal <= 0.200); modularity difference (ours-igraph) {ours.Modularity - theirModularity:+0.0000;-0.0000} (goal >= -0.005)"));
                return 0;
            }
            finally
            {
                directory.Delete(recursive: true);
            }
        });
        return command;
    }

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
