using System.Diagnostics;
using System.Globalization;
using Unitization.DataManager.Communities;

namespace Unitization.Benchmarks.Bench.DataManager;

/// <summary>
/// One planted-partition graph, both sides measured twice: Leiden alone (in process here, <c>community_leiden</c> on a
/// built graph there, both on one thread; best of the runs after a warm-up, run r seeded with seed + r, modularity the
/// mean over those runs) and from a cold start (here the whole <c>unitization
/// communities</c> process, read to write, timed from outside; there igraph's load of the same edge file plus its
/// first Leiden, timed inside Python, so the interpreter's start and import are not even counted against igraph).
/// Each time is taken twice: CPU seconds (user + system, all threads; for the whole process the child's, from
/// <c>/proc/self/stat</c>) and wall seconds. On a shared machine the wall time mostly measures the wait for a core
/// (at load 30 on 2 cores a process gets a fifth of one), so the ratios are judged on CPU seconds.
/// </summary>
internal sealed record CommunitiesComparison(
    Timing Ours, double OursModularity, Timing Igraph, double IgraphModularity,
    Timing OursProcess, double OursProcessModularity, Timing IgraphCold)
{
    // The igraph side: loads the edge list (timed), runs community_leiden once cold (timed with the load), then best of
    // runs, run r seeded with seed + r, each run's membership written to out.r.
    private const string IgraphScript = """
        import sys, time
        import igraph as ig
        path, out, n, seed, iterations, runs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
        start, cpu = time.perf_counter(), time.process_time()
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
        p = leiden()
        cold, cold_cpu = time.perf_counter() - start, time.process_time() - cpu
        seconds, cpu_seconds = float("inf"), float("inf")
        for run in range(runs):
            ig.set_random_number_generator(__import__("random").Random(seed + run))
            t, c = time.perf_counter(), time.process_time()
            p = leiden()
            seconds, cpu_seconds = min(seconds, time.perf_counter() - t), min(cpu_seconds, time.process_time() - c)
            with open(f"{out}.{run}", "w") as f:
                f.write("\n".join(str(c) for c in p.membership))
        print(seconds, cold, cpu_seconds, cold_cpu)
        """;

    /// <summary>The Native AOT executable of the verb alone (infra/Unitization.Communities): its options come without the verb.</summary>
    public const string StandaloneName = "unitization-communities";

    public static async Task<CommunitiesComparison> RunAsync(int n, int m, int groups, double inside, long seed, int iterations, int runs,
        string python, string? unitization, CancellationToken cancellationToken)
    {
        var (from, to, weight) = PlantedPartition.Generate(n, m, groups, inside, seed);
        var graph = CsrGraph.FromEdges(n, from, to, weight);
        // on one thread, as igraph's: the ratio compares the two algorithms' work
        var options = new LeidenOptions(1.0, seed, iterations) { MaxDegreeOfParallelism = 1 };
        _ = Leiden.Run(graph, options); // warm-up: JIT, not timed
        var ourTime = new Timing(double.PositiveInfinity, double.PositiveInfinity);
        double ourModularity = 0;
        using var self = Process.GetCurrentProcess();
        for (var run = 0; run < runs; run++)
        {
            self.Refresh();
            var cpu = self.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            var ours = Leiden.Run(graph, options with { Seed = seed + run });
            var wall = watch.Elapsed.TotalSeconds;
            self.Refresh();
            ourTime = ourTime.Min(new Timing((self.TotalProcessorTime - cpu).TotalSeconds, wall));
            ourModularity += ours.Modularity / runs;
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

            var (processTime, processModularity) = unitization is null
                ? (new Timing(double.NaN, double.NaN), double.NaN)
                : await OursProcessAsync(unitization, edgeFile, Path.Combine(directory.FullName, "ours.membership"), seed, iterations, cancellationToken)
                    .ConfigureAwait(false);
            var script = Path.Combine(directory.FullName, "igraph_leiden.py");
            await File.WriteAllTextAsync(script, IgraphScript, cancellationToken).ConfigureAwait(false);
            var membershipFile = Path.Combine(directory.FullName, "igraph.membership");
            var (exit, stdout, stderr) = await BenchCommunitiesCommand.RunAsync(python,
                [script, edgeFile, membershipFile, n.ToString(CultureInfo.InvariantCulture), seed.ToString(CultureInfo.InvariantCulture),
                    iterations.ToString(CultureInfo.InvariantCulture), runs.ToString(CultureInfo.InvariantCulture)],
                cancellationToken).ConfigureAwait(false);
            if (exit != 0)
            {
                throw new InvalidOperationException(
                    $"igraph run failed (exit {exit}) with {python}; install igraph for it with `sudo apt-get install -y python3-igraph` (as root, without sudo), or give --python{Environment.NewLine}{stderr.Trim()}");
            }

            var times = stdout.Trim().Split(' ').Select(t => double.Parse(t, CultureInfo.InvariantCulture)).ToArray();
            double theirModularity = 0;
            for (var run = 0; run < runs; run++)
            {
                var theirs = (await File.ReadAllLinesAsync($"{membershipFile}.{run}", cancellationToken).ConfigureAwait(false))
                    .Select(l => int.Parse(l, CultureInfo.InvariantCulture)).ToArray();
                theirModularity += Modularity.Compute(graph, theirs) / runs;
            }

            return new CommunitiesComparison(ourTime, ourModularity, new Timing(times[2], times[0]), theirModularity,
                processTime, processModularity, new Timing(times[3], times[1]));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    // The whole CLI process from a cold start (CPU: the children's time this process has reaped); its modularity as it prints it.
    private static async Task<(Timing Time, double Modularity)> OursProcessAsync(string unitization, string edges, string output, long seed, int iterations,
        CancellationToken cancellationToken)
    {
        string[] options = ["--edges", edges, "--out", output, "--seed", seed.ToString(CultureInfo.InvariantCulture),
            "--iterations", iterations.ToString(CultureInfo.InvariantCulture)];
        string[] arguments = Path.GetFileName(unitization) == StandaloneName ? options : ["communities", .. options];
        var (program, all) = unitization.EndsWith(".dll", StringComparison.Ordinal) ? ("dotnet", (string[])[unitization, .. arguments]) : (unitization, arguments);
        var cpu = ChildrenCpuSeconds();
        var watch = Stopwatch.StartNew();
        var (exit, stdout, stderr) = await BenchCommunitiesCommand.RunAsync(program, all, cancellationToken).ConfigureAwait(false);
        var seconds = new Timing(ChildrenCpuSeconds() - cpu, watch.Elapsed.TotalSeconds);
        if (exit != 0)
        {
            throw new InvalidOperationException($"{unitization} communities failed (exit {exit}): {stderr.Trim()}");
        }

        var marker = "modularity ";
        var at = stdout.IndexOf(marker, StringComparison.Ordinal) + marker.Length;
        var end = stdout.IndexOf(',', at);
        return (seconds, double.Parse(stdout[at..end], CultureInfo.InvariantCulture));
    }

    // utime + stime of this process's waited-for children: fields 16 and 17 of /proc/self/stat, in clock ticks
    // (USER_HZ, 100 on Linux); NaN where there is no /proc
    private static double ChildrenCpuSeconds()
    {
        if (!File.Exists("/proc/self/stat"))
        {
            return double.NaN;
        }

        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // after "pid (comm) ", fields start at 3
        return (long.Parse(fields[16 - 3], CultureInfo.InvariantCulture) + long.Parse(fields[17 - 3], CultureInfo.InvariantCulture)) / 100.0;
    }
}
