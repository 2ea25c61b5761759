using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Unitization.Benchmarks.Bench.Fleet;

namespace Unitization.Benchmarks.Bench.Router;

/// <summary>
/// <c>unitization bench fleet-routers</c>: CPU seconds per million resolves with one router process and with two
/// (<c>unitization serve --roles router</c>, read-only over one data folder and state store); the ratio of two to one
/// shows whether instances share a hot spot (goal: within 10 %). Fair on a small machine: both routers start once and
/// run throughout; the same total load (<c>--connections</c>, split over the loaded routers) drives one or both in turn,
/// rounds alternating; with <c>--pin</c> the routers share CPU 0 and wrk runs on the other CPUs, so wrk's own CPU and
/// the routers never compete and the routers get the same CPU in both cases; only the loaded routers' CPU is counted
/// (/proc), and each process's idle background (edit-log tail, state re-read) is measured apart and reported.
/// </summary>
internal static partial class FleetRouterBenchmark
{
    public static Command Create()
    {
        var seconds = new Option<int>("--seconds") { Description = "Seconds of load per run.", DefaultValueFactory = _ => 10 };
        var connections = new Option<int>("--connections") { Description = "wrk connections in all (split over the loaded routers).", DefaultValueFactory = _ => 32 };
        var rounds = new Option<int>("--rounds") { Description = "Rounds (1 process, then 2); medians are reported.", DefaultValueFactory = _ => 3 };
        var pin = new Option<bool>("--pin") { Description = "Routers on CPU 0, wrk on the others (taskset; needs 2+ CPUs).", DefaultValueFactory = _ => Environment.ProcessorCount >= 2 };
        var command = new Command("fleet-routers", "CPU seconds per million resolves with 1 and with 2 router processes under wrk.") { seconds, connections, rounds, pin };
        command.SetAction((parse, cancellationToken) => RunAsync(
            new Settings(parse.GetValue(seconds), parse.GetValue(connections), parse.GetValue(rounds), parse.GetValue(pin)), cancellationToken));
        return command;
    }

    private sealed record Settings(int Seconds, int Connections, int Rounds, bool Pin)
    {
        public string? RouterCpus => Pin ? "0" : null;

        public string? WrkCpus => Pin ? $"1-{Environment.ProcessorCount - 1}" : null;
    }

    private static async Task<int> RunAsync(Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Seconds < 1 || settings.Connections < 2 || settings.Rounds < 1 || (settings.Pin && Environment.ProcessorCount < 2))
        {
            await Console.Error.WriteLineAsync("error: --seconds and --rounds must be positive, --connections at least 2, and --pin needs 2 or more CPUs.").ConfigureAwait(false);
            return 2;
        }

        var root = UnitizationProcesses.RepositoryRoot("fleet-routers");
        await UnitizationProcesses.EnsureBuiltAsync(root, cancellationToken).ConfigureAwait(false);
        var data = Directory.CreateTempSubdirectory("unitization-fleet-routers-");
        var routers = new List<Router>();
        var inv = CultureInfo.InvariantCulture;
        try
        {
            // one after the other: the first applies the state store's migrations
            for (var i = 0; i < 2; i++)
            {
                var router = StartRouter(root, data.FullName, settings.RouterCpus);
                routers.Add(router);
                await UnitizationProcesses.WaitHealthyAsync(router.Url, router.Process, TimeSpan.FromSeconds(180), cancellationToken).ConfigureAwait(false);
            }

            // warm-up (JIT, tiered compilation) of both, a pause for the background recompilation it starts to finish,
            // then the background each costs when no request comes
            await Task.WhenAll(routers.Select(r => WrkAsync(r.Url, 5, settings.Connections / 2, settings.WrkCpus, cancellationToken))).ConfigureAwait(false);
            await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
            var idle = await IdleCpuPerSecondAsync(routers, 5, cancellationToken).ConfigureAwait(false);
            Console.WriteLine(string.Create(inv, $"bench fleet-routers: wrk -t1 -c{settings.Connections} in all, {settings.Seconds} s a run, {settings.Rounds} round(s); routers on CPU {settings.RouterCpus ?? "any"}, wrk on CPU {settings.WrkCpus ?? "any"}; idle background {idle * 1000:F1} ms CPU/s per router process; load average {UnitizationProcesses.LoadAverage()}"));
            Console.WriteLine("| round | router processes | resolves | resolves/s | router CPU s | CPU s per 1M resolves | net of idle background | ratio 2/1 |");
            Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
            var ratios = new List<double>();
            var netRatios = new List<double>();
            var byCount = new Dictionary<int, List<Measurement>> { [1] = [], [2] = [] };
            for (var round = 1; round <= settings.Rounds; round++)
            {
                Measurement? one = null;
                foreach (var n in new[] { 1, 2 })
                {
                    var m = await MeasureAsync(routers.Take(n).ToList(), settings, idle, cancellationToken).ConfigureAwait(false);
                    if (m is null)
                    {
                        return 1;
                    }

                    byCount[n].Add(m.Value);
                    var ratio = one is null ? "" : (m.Value.CpuPerMillion / one.Value.CpuPerMillion).ToString("F2", inv);
                    if (one is not null)
                    {
                        ratios.Add(m.Value.CpuPerMillion / one.Value.CpuPerMillion);
                        netRatios.Add(m.Value.NetCpuPerMillion / one.Value.NetCpuPerMillion);
                    }

                    one ??= m;
                    Console.WriteLine(string.Create(inv, $"| {round} | {n} | {m.Value.Requests:N0} | {m.Value.Requests / m.Value.Seconds:N0} | {m.Value.CpuSeconds:F1} | {m.Value.CpuPerMillion:F1} | {m.Value.NetCpuPerMillion:F1} | {ratio} |"));
                }
            }

            Console.WriteLine(string.Create(inv, $"median CPU s per 1M resolves: 1 process {Median(byCount[1].Select(m => m.CpuPerMillion))}, 2 processes {Median(byCount[2].Select(m => m.CpuPerMillion))}; median ratio 2/1 {Median(ratios):F2} (net of idle background {Median(netRatios):F2}; goal <= 1.10)"));
            return 0;
        }
        finally
        {
            foreach (var router in routers)
            {
                await UnitizationProcesses.StopAsync(router.Process).ConfigureAwait(false);
            }

            data.Delete(recursive: true);
        }
    }

    private sealed record Router(Process Process, string Url);

    private readonly record struct Measurement(long Requests, double Seconds, double CpuSeconds, double IdleCpuSeconds)
    {
        public double CpuPerMillion => CpuSeconds / Requests * 1_000_000;

        public double NetCpuPerMillion => (CpuSeconds - IdleCpuSeconds) / Requests * 1_000_000;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return Math.Round(sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2, 2);
    }

    private static Router StartRouter(string root, string data, string? cpus)
    {
        var url = $"http://127.0.0.1:{UnitizationProcesses.FreePort()}";
        // the resolve is measured, not the credential check: the bench's routers answer it anonymously
        var process = UnitizationProcesses.Start(
            root,
            ["serve", "--roles", "router", "--config", Path.Join(root, "infra", "config", "unitization.json"), "--data", data, "--urls", url, "--kafka", "127.0.0.1:9"],
            new Dictionary<string, string> { ["UNITIZATION_Security__AllowAnonymousRead__0"] = "/api/v1/resolve" },
            cpus);
        return new Router(process, url);
    }

    private static async Task<double> IdleCpuPerSecondAsync(IReadOnlyList<Router> routers, int seconds, CancellationToken cancellationToken)
    {
        var before = routers.Sum(r => UnitizationProcesses.CpuSeconds(r.Process));
        var clock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(seconds), cancellationToken).ConfigureAwait(false);
        return (routers.Sum(r => UnitizationProcesses.CpuSeconds(r.Process)) - before) / clock.Elapsed.TotalSeconds / routers.Count;
    }

    private static async Task<Measurement?> MeasureAsync(IReadOnlyList<Router> loaded, Settings settings, double idleCpuPerSecond, CancellationToken cancellationToken)
    {
        var cpuBefore = loaded.Sum(r => UnitizationProcesses.CpuSeconds(r.Process));
        var clock = Stopwatch.StartNew();
        var counts = await Task.WhenAll(loaded.Select(r => WrkAsync(r.Url, settings.Seconds, settings.Connections / loaded.Count, settings.WrkCpus, cancellationToken))).ConfigureAwait(false);
        var elapsed = clock.Elapsed.TotalSeconds;
        var cpu = loaded.Sum(r => UnitizationProcesses.CpuSeconds(r.Process)) - cpuBefore;
        return counts.Any(c => c is null) ? null : new Measurement(counts.Sum(c => c!.Value), elapsed, cpu, idleCpuPerSecond * elapsed * loaded.Count);
    }

    /// <summary>Runs wrk against the router's resolve (a dcB client, no replica: routed to the primary); the number of requests it completed, or null (reported) when it failed or saw errors.</summary>
    private static async Task<long?> WrkAsync(string url, int seconds, int connections, string? cpus, CancellationToken cancellationToken)
    {
        var target = $"{url}/api/v1/resolve?path=%2Fwarehouse%2Fsales%2Forders%2Fpart-0&clientIp=127.0.2.10";
        var output = await Wrk.RunAsync("fleet-routers", target, 1, seconds, connections, cancellationToken, cpus).ConfigureAwait(false);
        var match = output is null ? null : Requests().Match(output);
        return match is { Success: true } ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex Requests();
}
