using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Unitization.Benchmarks.Bench.Router;

/// <summary>
/// <c>unitization bench fleet-routers</c>: CPU seconds per million resolves with one router process and with two
/// (<c>unitization serve --roles router</c>, read-only over one data folder and state store), each under its own
/// <c>wrk</c>; the ratio of two to one shows whether instances share a hot spot (goal: within 10 %).
/// </summary>
internal static partial class FleetRouterBenchmark
{
    public static Command Create()
    {
        var seconds = new Option<int>("--seconds") { Description = "Seconds of load per run.", DefaultValueFactory = _ => 10 };
        var connections = new Option<int>("--connections") { Description = "wrk connections per router.", DefaultValueFactory = _ => 16 };
        var command = new Command("fleet-routers", "CPU seconds per million resolves with 1 and with 2 router processes under wrk.") { seconds, connections };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(seconds), parse.GetValue(connections), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(int seconds, int connections, CancellationToken cancellationToken)
    {
        var root = RepositoryRoot();
        var data = Directory.CreateTempSubdirectory("unitization-fleet-routers-");
        try
        {
            var one = await MeasureAsync(root, data.FullName, 1, seconds, connections, cancellationToken).ConfigureAwait(false);
            var two = await MeasureAsync(root, data.FullName, 2, seconds, connections, cancellationToken).ConfigureAwait(false);
            if (one is null || two is null)
            {
                return 1;
            }

            var inv = CultureInfo.InvariantCulture;
            Console.WriteLine($"wrk -t1 -c{connections} -d{seconds}s per router process, GET /api/v1/resolve (dcB client, no replica: routed to the primary)");
            Console.WriteLine("| router processes | resolves | resolves/s | router CPU s | CPU s per 1M resolves | ratio |");
            Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
            foreach (var (n, m) in new[] { (1, one.Value), (2, two.Value) })
            {
                Console.WriteLine(string.Create(inv, $"| {n} | {m.Requests:N0} | {m.Requests / m.Seconds:N0} | {m.CpuSeconds:F1} | {m.CpuPerMillion:F1} | {m.CpuPerMillion / one.Value.CpuPerMillion:F2} |"));
            }

            return 0;
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    private readonly record struct Measurement(long Requests, double Seconds, double CpuSeconds)
    {
        public double CpuPerMillion => CpuSeconds / Requests * 1_000_000;
    }

    private static async Task<Measurement?> MeasureAsync(string root, string data, int processes, int seconds, int connections, CancellationToken cancellationToken)
    {
        var routers = new List<(Process Process, string Url)>();
        try
        {
            for (var i = 0; i < processes; i++)
            {
                var url = $"http://127.0.0.1:{FreePort()}";
                var start = new ProcessStartInfo(Path.Join(root, "unitization"))
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                };
                // the resolve is measured, not the credential check: the bench's routers answer it anonymously
                start.Environment["UNITIZATION_Security__AllowAnonymousRead__0"] = "/api/v1/resolve";
                foreach (var argument in new[] { "serve", "--roles", "router", "--config", Path.Join(root, "infra", "config", "unitization.json"), "--data", data, "--urls", url, "--kafka", "127.0.0.1:9" })
                {
                    start.ArgumentList.Add(argument);
                }

                var process = Process.Start(start) ?? throw new InvalidOperationException("unitization did not start");
                process.OutputDataReceived += (_, _) => { };
                process.ErrorDataReceived += (_, _) => { };
                process.BeginOutputReadLine();
                process.BeginErrorReadLine();
                routers.Add((process, url));
            }

            foreach (var (_, url) in routers)
            {
                await WaitHealthyAsync(url, cancellationToken).ConfigureAwait(false);
            }

            string Target(string url) => $"{url}/api/v1/resolve?path=%2Fwarehouse%2Fsales%2Forders%2Fpart-0&clientIp=127.0.2.10";

            // warm-up (JIT, tiered compilation), then the measured run with every router under its own wrk at once
            await Task.WhenAll(routers.Select(r => WrkAsync(Target(r.Url), 2, connections, cancellationToken))).ConfigureAwait(false);
            var cpuBefore = routers.Sum(r => Cpu(r.Process));
            var clock = Stopwatch.StartNew();
            var counts = await Task.WhenAll(routers.Select(r => WrkAsync(Target(r.Url), seconds, connections, cancellationToken))).ConfigureAwait(false);
            var elapsed = clock.Elapsed.TotalSeconds;
            var cpuAfter = routers.Sum(r => Cpu(r.Process));
            return counts.Any(c => c is null) ? null : new Measurement(counts.Sum(c => c!.Value), elapsed, cpuAfter - cpuBefore);
        }
        finally
        {
            foreach (var (process, _) in routers)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                process.Dispose();
            }
        }
    }

    private static double Cpu(Process process)
    {
        process.Refresh();
        return process.TotalProcessorTime.TotalSeconds;
    }

    private static async Task WaitHealthyAsync(string url, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(120))
        {
            try
            {
                using var response = await http.GetAsync(new Uri(url + "/healthz"), cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
        }

        throw new InvalidOperationException($"the router at {url} did not answer /healthz within 120 s");
    }

    /// <summary>Runs wrk; the number of requests it completed, or null (reported) when it failed or saw errors.</summary>
    private static async Task<long?> WrkAsync(string url, int seconds, int connections, CancellationToken cancellationToken)
    {
        var output = await Wrk.RunAsync("fleet-routers", url, 1, seconds, connections, cancellationToken).ConfigureAwait(false);
        var match = output is null ? null : Requests().Match(output);
        return match is { Success: true } ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Join(dir.FullName, "Unitization.sln")) && File.Exists(Path.Join(dir.FullName, "unitization")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("bench fleet-routers runs from the repository (./unitization bench fleet-routers): Unitization.sln not found above " + AppContext.BaseDirectory);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex Requests();
}
