using System.Collections.Frozen;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Unitization.Namespaces;
using Unitization.Namespaces.Edits;
using Unitization.Replication.Versions;
using Unitization.Router;
using Unitization.Router.Addresses;
using Unitization.Router.Mounts;
using Unitization.Router.Resolution;
using Unitization.Router.Versions;
using Unitization.TestUtils.Namespaces;

namespace Unitization.Benchmarks.Bench.Router;

/// <summary>
/// <c>unitization bench resolve</c>: in-process resolves on one thread with N mounts and M client networks, against a
/// baseline of one hash lookup of the same path strings run side by side; prints resolves/s, p50/p99 latency, and the
/// bytes allocated per IP lookup and per resolve.
/// </summary>
internal static class ResolveBenchmark
{
    private static readonly string[] Datacenters = ["dcA", "dcB", "dcC"];
    private static readonly byte[] PartBytes = new byte[100];

    public static Command Create()
    {
        var mounts = new Option<int>("--mounts") { Description = "Mounts in the table.", DefaultValueFactory = _ => 10_000 };
        var networks = new Option<int>("--networks") { Description = "Client CIDR ranges (80% IPv4, 20% IPv6).", DefaultValueFactory = _ => 100_000 };
        var operations = new Option<int>("--operations") { Description = "Resolves per measured run.", DefaultValueFactory = _ => 2_000_000 };
        var command = new Command("resolve", "In-process resolves per second and p99 latency (10k mounts, 100k CIDR ranges) vs a hash lookup baseline.")
        {
            mounts, networks, operations,
        };
        command.SetAction(parse => Run(parse.GetValue(mounts), parse.GetValue(networks), parse.GetValue(operations), Console.Out));
        return command;
    }

    public static int Run(int mountCount, int networkCount, int operations, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (mountCount < 1 || networkCount < 1 || operations < 1000)
        {
            Console.Error.WriteLine("bench resolve: --mounts and --networks must be >= 1, --operations >= 1000");
            return 2;
        }

        output.WriteLine($"building: {mountCount:N0} mounts, {networkCount:N0} client networks, edit logs and replica versions ...");
        var random = new Random(42);
        var (resolver, networks, paths, ips) = Build(mountCount, networkCount, random);
        var baselineTable = paths.Distinct(StringComparer.Ordinal).ToFrozenDictionary(p => p, p => p.Length, StringComparer.Ordinal);
        var mask = paths.Length - 1;

        // warm up both (tiered JIT)
        Loop(resolver, paths, ips, mask, 300_000);
        Baseline(baselineTable, paths, mask, 300_000);

        // alternate the two in rounds and take each one's median, so load on the machine hits both alike
        const int Rounds = 7;
        var perRound = operations / Rounds;
        var baselineRounds = new double[Rounds];
        var resolveRounds = new double[Rounds];
        var baselineCpu = new double[Rounds];
        var resolveCpu = new double[Rounds];
        for (var r = 0; r < Rounds; r++)
        {
            (baselineRounds[r], baselineCpu[r]) = MeasureWithCpu(() => Baseline(baselineTable, paths, mask, perRound), perRound);
            (resolveRounds[r], resolveCpu[r]) = MeasureWithCpu(() => Loop(resolver, paths, ips, mask, perRound), perRound);
        }

        Array.Sort(baselineRounds);
        Array.Sort(resolveRounds);
        Array.Sort(baselineCpu);
        Array.Sort(resolveCpu);
        var baselineCpuNs = baselineCpu[Rounds / 2];
        var resolveCpuNs = resolveCpu[Rounds / 2];
        var baselineNs = baselineRounds[Rounds / 2];
        var resolveNs = resolveRounds[Rounds / 2];
        var bestResolveNs = resolveRounds[0];
        var (p50, p99, p999) = Latencies(resolver, paths, ips, mask, Math.Min(operations, 1_000_000));

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000_000; i++)
        {
            networks.Locate(ips[i & mask], out _);
        }

        var ipBytes = (GC.GetAllocatedBytesForCurrentThread() - before) / 1_000_000.0;
        before = GC.GetAllocatedBytesForCurrentThread();
        Loop(resolver, paths, ips, mask, 100_000);
        var resolveBytes = (GC.GetAllocatedBytesForCurrentThread() - before) / 100_000.0;

        var inv = CultureInfo.InvariantCulture;
        var ipNs = Measure(() => LocateLoop(networks, ips, mask, perRound), perRound);
        var mountNs = Measure(() => MatchLoop(resolver.Mounts, paths, mask, perRound), perRound);
        output.WriteLine();
        output.WriteLine(string.Create(inv, $"parts: IP lookup (parse + search) {ipNs:F1} ns, mount match {mountNs:F1} ns, the rest (versions, answer) {resolveNs - ipNs - mountNs:F1} ns"));
        output.WriteLine("| run (one thread) | ns/op | ops/s | ratio |");
        output.WriteLine("|---|---:|---:|---:|");
        output.WriteLine(string.Create(inv, $"| baseline: one frozen-hash lookup of the path | {baselineNs:F1} | {1e9 / baselineNs:N0} | 1.00 |"));
        output.WriteLine(string.Create(inv, $"| resolve (mount + IP + versions) | {resolveNs:F1} | {1e9 / resolveNs:N0} | {resolveNs / baselineNs:F2} |"));
        output.WriteLine(string.Create(inv, $"| baseline, per CPU second (process CPU time) | {baselineCpuNs:F1} | {1e9 / baselineCpuNs:N0} | 1.00 |"));
        output.WriteLine(string.Create(inv, $"| resolve, per CPU second (process CPU time) | {resolveCpuNs:F1} | {1e9 / resolveCpuNs:N0} | {resolveCpuNs / baselineCpuNs:F2} |"));
        output.WriteLine(string.Create(inv, $"(medians of {Rounds} alternating rounds; fastest resolve round {bestResolveNs:F1} ns/op = {1e9 / bestResolveNs:N0}/s wall clock; CPU time leaves out the time other processes held the core)"));
        output.WriteLine();
        output.WriteLine(string.Create(inv, $"resolve latency: p50 {p50:F2} µs, p99 {p99:F2} µs, p99.9 {p999:F2} µs (each timed alone, timer overhead included)"));
        output.WriteLine(string.Create(inv, $"allocated: {ipBytes:F2} bytes per IP lookup, {resolveBytes:F0} bytes per resolve (the Route answer)"));
        output.WriteLine($"goals: >= 1,000,000 resolves/s on one core: {(1e9 / resolveNs >= 1_000_000 ? "met" : "NOT met")} by wall clock, {(1e9 / resolveCpuNs >= 1_000_000 ? "met" : "NOT met")} per CPU second; p99 <= 20 µs: {(p99 <= 20 ? "met" : "NOT met")}; IP lookups allocate nothing: {(ipBytes == 0 ? "met" : "NOT met")}");
        return 0;
    }

    private static (RouteResolver Resolver, ClientNetworkMap Networks, string[] Paths, string[] Ips) Build(int mountCount, int networkCount, Random random)
    {
        var options = new RouterOptions { DefaultDatacenter = "dcA" };
        var namespaces = Datacenters.ToDictionary(dc => dc, dc => new InMemoryNamespace(dc));
        var replicaVersions = Datacenters.ToDictionary(dc => dc, _ => new List<ReplicaVersion>());
        var now = DateTimeOffset.UnixEpoch;
        for (var i = 0; i < mountCount; i++)
        {
            var primary = Datacenters[i % 3];
            var replica = Datacenters[(i + 1) % 3];
            var path = $"/warehouse/db{i}";
            options.Mounts.Add(new MountOptions { Path = path, Destinations = [$"{primary}:{path}", $"{replica}:{path}"] });
            var log = namespaces[primary];
            for (var t = 0; t < 2; t++)
            {
                for (var k = 0; k < 3; k++)
                {
                    log.Write($"{path}/t{t}/part-{k}", PartBytes);
                }

                // table t0's replica is fresh, t1's lags by one edit
                replicaVersions[replica].Add(new ReplicaVersion(replica, $"{path}/t{t}", new TxId(log.LastTxId.Value - t), now));
            }
        }

        var ipv4 = networkCount * 4 / 5;
        for (var i = 0; i < networkCount; i++)
        {
            var dc = Datacenters[random.Next(3)];
            if (!options.ClientNetworks.TryGetValue(dc, out var list))
            {
                options.ClientNetworks[dc] = list = [];
            }

            list.Add(i < ipv4 ? $"{10 + (i >> 16)}.{(i >> 8) & 255}.{i & 255}.0/24" : $"fd00:{i >> 16:x}:{i & 0xFFFF:x}::/48");
        }

        options.ClientNetworks["dcA"].Add("10.0.0.0/8"); // a covering network, so the /24s nest

        var catalog = new InMemoryNamespaceCatalog(namespaces.Values);
        var versions = new VersionService(catalog);
        foreach (var dc in Datacenters)
        {
            var index = versions.IndexOf(dc);
            foreach (var edit in namespaces[dc].Edits)
            {
                index.Apply(edit);
            }

            versions.Replicas.Replace(dc, replicaVersions[dc]);
        }

        var registry = new MountRegistry(Options.Create(options), catalog, new NoApiMounts(), TimeProvider.System, NullLogger<MountRegistry>.Instance);
        var networks = ClientNetworkMap.Build(options.ClientNetworks, options.DefaultDatacenter, out var errors);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException($"{errors.Count} bad networks, first: {errors[0].Key}: {errors[0].Message}");
        }

        const int Queries = 1 << 16;
        var paths = new string[Queries];
        var ips = new string[Queries];
        for (var q = 0; q < Queries; q++)
        {
            paths[q] = $"/warehouse/db{random.Next(mountCount)}/t{random.Next(2)}/part-{random.Next(3)}";
            var n = random.Next(networkCount);
            ips[q] = random.Next(50) == 0 ? "192.168.1.1"
                : n < ipv4 ? $"{10 + (n >> 16)}.{(n >> 8) & 255}.{n & 255}.{random.Next(256)}"
                : $"fd00:{n >> 16:x}:{n & 0xFFFF:x}:{random.Next(65536):x}::{random.Next(65536):x}";
        }

        return (new RouteResolver(registry, networks, versions), networks, paths, ips);
    }

    private static int Loop(RouteResolver resolver, string[] paths, string[] ips, int mask, int count)
    {
        var fresh = 0;
        for (var i = 0; i < count; i++)
        {
            if (resolver.Resolve(paths[i & mask], ips[i & mask], RouteIntent.Read).Fresh)
            {
                fresh++;
            }
        }

        return fresh;
    }

    private static int LocateLoop(ClientNetworkMap networks, string[] ips, int mask, int count)
    {
        var known = 0;
        for (var i = 0; i < count; i++)
        {
            networks.Locate(ips[i & mask], out var isKnown);
            known += isKnown ? 1 : 0;
        }

        return known;
    }

    private static int MatchLoop(MountTable mounts, string[] paths, int mask, int count)
    {
        var found = 0;
        for (var i = 0; i < count; i++)
        {
            found += mounts.Match(paths[i & mask]) is null ? 0 : 1;
        }

        return found;
    }

    private static int Baseline(FrozenDictionary<string, int> table, string[] paths, int mask, int count)
    {
        var sum = 0;
        for (var i = 0; i < count; i++)
        {
            sum += table[paths[i & mask]];
        }

        return sum;
    }

    /// <summary>Wall-clock and process-CPU nanoseconds per operation (the loop runs on one thread).</summary>
    private static (double WallNs, double CpuNs) MeasureWithCpu(Func<int> run, int operations)
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        GC.KeepAlive(run());
        var wall = watch.Elapsed.TotalNanoseconds / operations;
        process.Refresh();
        return (wall, (process.TotalProcessorTime - cpu).TotalNanoseconds / operations);
    }

    private static double Measure(Func<int> run, int operations)
    {
        var watch = Stopwatch.StartNew();
        GC.KeepAlive(run());
        return watch.Elapsed.TotalNanoseconds / operations;
    }

    private static (double P50, double P99, double P999) Latencies(RouteResolver resolver, string[] paths, string[] ips, int mask, int count)
    {
        var samples = new long[count];
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            resolver.Resolve(paths[i & mask], ips[i & mask], RouteIntent.Read);
            samples[i] = Stopwatch.GetTimestamp() - start;
        }

        Array.Sort(samples);
        double Micros(double q) => samples[(int)Math.Min(count - 1, q * count)] * 1e6 / Stopwatch.Frequency;
        return (Micros(0.50), Micros(0.99), Micros(0.999));
    }

    private sealed class NoApiMounts : IMountStore
    {
        public Task<IReadOnlyList<MountOptions>> ListAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<MountOptions>>([]);

        public Task PutAsync(MountOptions mount, DateTimeOffset now, CancellationToken cancellationToken) => throw new NotSupportedException("the benchmark's mount table is fixed");

        public Task<bool> DeleteAsync(string path, CancellationToken cancellationToken) => throw new NotSupportedException("the benchmark's mount table is fixed");
    }
}
