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
/// each a WebHDFS gateway over its own directory) by the replicator's copy routine through two WebHDFS namespaces
/// (streamed OPEN into a two-step CREATE, every chunk paid from a link budget, verified by the two sides' file
/// checksums), against the same bytes piped <c>curl OPEN | curl -T - CREATE</c> between the same endpoints, rounds
/// alternating. Prints MiB/s of each and the ratio (goal: at least 0.8).
/// </summary>
internal static class HdfsCopyBenchmark
{
    private const string Source = "/warehouse/bench_hdfs_copy/part-0";

    public static Command Create()
    {
        var mib = new Option<int>("--mib") { Description = "Size of the file copied, MiB.", DefaultValueFactory = _ => 256 };
        var rounds = new Option<int>("--rounds") { Description = "Copies of each kind (after one warm-up round).", DefaultValueFactory = _ => 3 };
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
            var request = new CopyRequest(src, dst, Source, "bench", TrafficPriority.Normal, "/warehouse/bench_hdfs_copy_staging", budget);

            double namespaceSeconds = 0, curlSeconds = 0;
            for (var round = 0; round <= rounds; round++)
            {
                await dst.DeleteAsync("/warehouse/bench_hdfs_copy_staging", recursive: true, cancellationToken).ConfigureAwait(false);
                var watch = Stopwatch.StartNew();
                await copier.CopyFileAsync(request, link, file, $"/warehouse/bench_hdfs_copy_staging/ns-{round}", cancellationToken).ConfigureAwait(false);
                var ns = watch.Elapsed.TotalSeconds;

                watch.Restart();
                var curl = await CurlPipeAsync(urlA, urlB, $"/warehouse/bench_hdfs_copy_staging/curl-{round}", cancellationToken).ConfigureAwait(false);
                var piped = watch.Elapsed.TotalSeconds;
                if (curl != 0)
                {
                    return 1;
                }

                var copied = await dst.GetStatusAsync($"/warehouse/bench_hdfs_copy_staging/curl-{round}", cancellationToken).ConfigureAwait(false);
                if (copied?.Length != bytes)
                {
                    await Console.Error.WriteLineAsync($"bench hdfs-copy: the curl pipe stored {copied?.Length} bytes of {bytes}").ConfigureAwait(false);
                    return 1;
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round}{(round == 0 ? " (warm-up)" : "")}: namespace {mib / ns:F0} MiB/s, curl pipe {mib / piped:F0} MiB/s"));
                if (round > 0)
                {
                    namespaceSeconds += ns;
                    curlSeconds += piped;
                }
            }

            var namespaceRate = mib * rounds / namespaceSeconds;
            var curlRate = mib * rounds / curlSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| copy of {mib} MiB between two WebHDFS gateways | MiB/s |\n|---|---:|\n| WebHdfsNamespace, replicator copy routine (budgeted, checksum-verified) | {namespaceRate:F0} |\n| curl OPEN \\| curl -T - CREATE | {curlRate:F0} |\n| ratio | {namespaceRate / curlRate:F2} |"));
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

    private static async Task<WebApplication> StartAsync(string dataPath, CancellationToken cancellationToken)
    {
        var app = UnitizationHost.Build(new ServeSettings(
            RepositoryPaths.ShippedConfig, Role.Router, "http://127.0.0.1:0", "127.0.0.1:9", dataPath,
            new Dictionary<string, string?>
            {
                // a router alone follows its namespaces read-only and answers writes with StandbyException: each gateway is its namespace's writer
                ["NamespaceAccess"] = "write",
                ["Logging:LogLevel:Default"] = "Warning",
            }));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
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
    private static async Task<int> CurlPipeAsync(Uri from, Uri to, string destination, CancellationToken cancellationToken)
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
            await Console.Error.WriteLineAsync($"bench hdfs-copy: the curl pipe failed ({process.ExitCode}): {error}").ConfigureAwait(false);
        }

        return process.ExitCode;
    }
}
