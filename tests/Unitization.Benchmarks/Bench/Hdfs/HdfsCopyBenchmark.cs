using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging.Abstractions;
using Unitization.Hdfs.WebHdfs;
using Unitization.Host.Hosting;
using Unitization.Namespaces;
using Unitization.Replication.Copy;
using Unitization.TestUtils;
using Unitization.TestUtils.Replication;
using Unitization.TestUtils.Security;
using Unitization.Throttle.Budget;
using Unitization.Throttle.Configuration;

namespace Unitization.Benchmarks.Bench.Hdfs;

/// <summary>
/// <c>unitization bench hdfs-copy</c>: a file copied between two WebHDFS endpoints (two router roles in this process,
/// each a WebHDFS gateway over its own directory, standing in for a NameNode as <c>infra/up.sh --hdfs</c> runs one) by
/// the replicator's copy routine through two WebHDFS namespaces (streamed OPEN into a two-step CREATE in the
/// replicator's staging folder, every chunk paid from a link budget, verified by the two sides' file checksums),
/// against the same bytes piped <c>curl OPEN | curl -T - CREATE</c> between the same endpoints. Each round runs both,
/// back to back, in alternating order; its ratio is the pipe's time over the copy's, so a machine busy for a while
/// slows both sides of a ratio alike. Prints every round, the median ratio and its spread (goal: at least 0.8), and
/// the CPU each kind spent per GiB (this process, which runs both gateways, plus the curls), which a busy machine
/// disturbs less than the rates.
/// </summary>
internal static class HdfsCopyBenchmark
{
    private const string Source = "/warehouse/bench_hdfs_copy/part-0";

    /// <summary>Where the replicator stages a copy (<c>Replication:WorkRoot</c>/staging/<c>WorkerId</c>).</summary>
    private const string Staging = "/.unitization/staging/bench-hdfs-copy";

    /// <summary>Rounds run first and not counted: the copy's code (System.IO.Hashing's XXH128 is not precompiled) reaches its optimized tier, as in a replicator that has run a while.</summary>
    private const int WarmUpRounds = 2;

    public static Command Create()
    {
        var mib = new Option<int>("--mib") { Description = "Size of the file copied, MiB.", DefaultValueFactory = _ => 128 };
        var rounds = new Option<int>("--rounds") { Description = "Rounds, each one copy of each kind (after two warm-up rounds).", DefaultValueFactory = _ => 9 };
        var command = new Command("hdfs-copy", "Copy between two WebHDFS endpoints through the WebHDFS namespace vs `curl | curl`.") { mib, rounds };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(mib), parse.GetValue(rounds), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(int mib, int rounds, CancellationToken cancellationToken)
    {
        if (mib < 1 || rounds < 1)
        {
            await Console.Error.WriteLineAsync("bench hdfs-copy: --mib and --rounds must be at least 1").ConfigureAwait(false);
            return 2;
        }

        TestCredentials.Install(); // the two gateways accept the test tokens, and this process sends the admin's (writes need the write ACL)
        using var data = new TempDirectory("bench-hdfs-copy");
        var a = await StartAsync(Path.Combine(data.Path, "a"), cancellationToken).ConfigureAwait(false);
        var b = await StartAsync(Path.Combine(data.Path, "b"), cancellationToken).ConfigureAwait(false);
        try
        {
            var urlA = new Uri(a.Urls.First());
            var urlB = new Uri(b.Urls.First());
            var src = new WebHdfsNamespace("srcHdfs", [urlA], WebHdfsAuth.Simple("bench") with { BearerToken = TestCredentials.AdminToken }, null, TimeProvider.System, NullLogger.Instance);
            var dst = new WebHdfsNamespace("dstHdfs", [urlB], WebHdfsAuth.Simple("bench") with { BearerToken = TestCredentials.AdminToken }, null, TimeProvider.System, NullLogger.Instance);
            var bytes = (long)mib << 20;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"writing {mib} MiB to {urlA}{Source[1..]} ..."));
            await src.CreateAsync(Source, (s, ct) => WriteRandomAsync(s, bytes, ct), overwrite: true, cancellationToken).ConfigureAwait(false);
            var file = await src.GetStatusAsync(Source, cancellationToken).ConfigureAwait(false) ?? throw new InvalidOperationException("the source file is missing");

            var link = new LinkId("srcHdfs", "dstHdfs");
            using var budget = new LocalBandwidthBudget(
                new ThrottleOptions { Links = [new LinkOptions { From = "srcHdfs", To = "dstHdfs", BytesPerSecond = 1e12 }] }, TimeProvider.System);
            var copier = new ReplicaCopier(new InMemoryReplicaVersionStore(), budget, null, TimeProvider.System, NullLogger<ReplicaCopier>.Instance);
            var request = new CopyRequest(src, dst, Source, "bench", TrafficPriority.Normal, Staging, budget);
            await dst.MkdirsAsync(Staging, cancellationToken).ConfigureAwait(false); // as the replicator's StageAsync does before its files

            var copyRates = new List<double>();
            var curlRates = new List<double>();
            var ratios = new List<double>();
            var copyCpu = new List<double>();
            var curlCpu = new List<double>();
            for (var round = 1 - WarmUpRounds; round <= rounds; round++)
            {
                var copyTarget = $"{Staging}/copy-{round + WarmUpRounds}";
                var curlTarget = $"{Staging}/curl-{round + WarmUpRounds}";
                var copy = () => TimeAsync(() => copier.CopyFileAsync(request, link, file, copyTarget, cancellationToken));
                var curl = () => TimeAsync(() => CurlPipeAsync(urlA, urlB, curlTarget, cancellationToken));
                (double Wall, double Cpu) copied, piped;
                if (round % 2 == 0)
                {
                    piped = await curl().ConfigureAwait(false);
                    copied = await copy().ConfigureAwait(false);
                }
                else
                {
                    copied = await copy().ConfigureAwait(false);
                    piped = await curl().ConfigureAwait(false);
                }

                var stored = await dst.GetStatusAsync(curlTarget, cancellationToken).ConfigureAwait(false);
                if (stored?.Length != bytes)
                {
                    await Console.Error.WriteLineAsync($"bench hdfs-copy: the curl pipe stored {stored?.Length} bytes of {bytes}").ConfigureAwait(false);
                    return 1;
                }

                await dst.DeleteAsync(copyTarget, recursive: false, cancellationToken).ConfigureAwait(false);
                await dst.DeleteAsync(curlTarget, recursive: false, cancellationToken).ConfigureAwait(false);
                var ratio = piped.Wall / copied.Wall;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"round {round}{(round <= 0 ? " (warm-up)" : "")}, {(round % 2 == 0 ? "curl first" : "copy first")}: copy {mib / copied.Wall:F0} MiB/s ({copied.Cpu:F2} s CPU), " +
                    $"curl pipe {mib / piped.Wall:F0} MiB/s ({piped.Cpu:F2} s CPU), ratio {ratio:F2}"));
                if (round > 0)
                {
                    copyRates.Add(mib / copied.Wall);
                    curlRates.Add(mib / piped.Wall);
                    ratios.Add(ratio);
                    copyCpu.Add(copied.Cpu * 1024 / mib);
                    curlCpu.Add(piped.Cpu * 1024 / mib);
                }
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| copy of {mib} MiB between two WebHDFS gateways, {rounds} rounds | median MiB/s | range | CPU s/GiB (servers included) |\n|---|---:|---:|---:|\n" +
                $"| WebHdfsNamespace, replicator copy routine (budgeted, checksum-verified) | {Median(copyRates):F0} | {copyRates.Min():F0}-{copyRates.Max():F0} | {Median(copyCpu):F2} |\n" +
                $"| curl OPEN \\| curl -T - CREATE | {Median(curlRates):F0} | {curlRates.Min():F0}-{curlRates.Max():F0} | {Median(curlCpu):F2} |\n" +
                $"| ratio per round (pipe time / copy time) | {Median(ratios):F2} | {ratios.Min():F2}-{ratios.Max():F2} | |"));
            return 0;
        }
        finally
        {
            await a.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await b.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await a.DisposeAsync().ConfigureAwait(false);
            await b.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Wall seconds of <paramref name="run"/>, and the CPU seconds this process and its finished children (the curls) spent meanwhile.</summary>
    private static async Task<(double Wall, double Cpu)> TimeAsync(Func<Task> run)
    {
        var cpu = CpuSeconds();
        var watch = Stopwatch.StartNew();
        await run().ConfigureAwait(false);
        return (watch.Elapsed.TotalSeconds, CpuSeconds() - cpu);
    }

    /// <summary>utime + stime + cutime + cstime of /proc/self/stat (USER_HZ, 100 per second on Linux); 0 where there is no /proc.</summary>
    private static double CpuSeconds()
    {
        if (!File.Exists("/proc/self/stat"))
        {
            return 0;
        }

        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)
            + long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture)) / 100.0;
    }

    /// <summary>The middle value (the mean of the two middle ones for an even count).</summary>
    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>A NameNode stand-in as <c>infra/up.sh --hdfs</c> runs one (infra/config/hdfs-gateway.json: every path, /.unitization too), with HDFS's root made.</summary>
    private static async Task<WebApplication> StartAsync(string dataPath, CancellationToken cancellationToken)
    {
        var app = UnitizationHost.Build(new ServeSettings(
            Path.Join(RepositoryPaths.Root, "infra", "config", "hdfs-gateway.json"), Role.Router, "http://127.0.0.1:0", "127.0.0.1:9", dataPath,
            new Dictionary<string, string?>
            {
                // a router alone follows its namespaces read-only and answers writes with StandbyException: each gateway is its namespace's writer
                ["NamespaceAccess"] = "write",
                ["Logging:LogLevel:Default"] = "Warning",
            }));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        http.DefaultRequestHeaders.Authorization = TestCredentials.AdminHeader;
        using var root = await http.PutAsync(new Uri("/webhdfs/v1/?op=MKDIRS&user.name=bench", UriKind.Relative), null, cancellationToken).ConfigureAwait(false);
        root.EnsureSuccessStatusCode();
        return app;
    }

    private static async Task WriteRandomAsync(Stream output, long bytes, CancellationToken cancellationToken)
    {
        var buffer = new byte[1 << 20];
        RandomNumberGenerator.Fill(buffer);
        for (long left = bytes; left > 0; left -= buffer.Length)
        {
            buffer[0]++;
            await output.WriteAsync(buffer.AsMemory(0, (int)Math.Min(left, buffer.Length)), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// <c>curl OPEN | curl -T - DATA_URL</c>: the CREATE's first step asked for its data URL (a 307, as WebHDFS
    /// answers), then the bytes of an OPEN piped into the second step, as an operator would copy by hand.
    /// </summary>
    private static async Task CurlPipeAsync(Uri from, Uri to, string destination, CancellationToken cancellationToken)
    {
        var script =
            $"set -eo pipefail; auth='Authorization: Bearer {TestCredentials.AdminToken}'; " +
            $"loc=$(curl -sS -H \"$auth\" -X PUT -o /dev/null -w '%{{redirect_url}}' '{to}webhdfs/v1{destination}?op=CREATE&overwrite=true&user.name=bench'); " +
            $"curl -sS --fail -H \"$auth\" -L '{from}webhdfs/v1{Source}?op=OPEN&user.name=bench' | curl -sS --fail -H \"$auth\" -T - -o /dev/null \"$loc\"";
        using var process = Process.Start(new ProcessStartInfo("bash", ["-c", script]) { RedirectStandardError = true })!;
        var error = await process.StandardError.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"bench hdfs-copy: the curl pipe failed ({process.ExitCode}): {error}");
        }
    }
}
