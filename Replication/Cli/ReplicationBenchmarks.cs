using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Unitization.Namespaces.Local;
using Unitization.Replication.Copy;
using Unitization.Replication.Migration;
using Unitization.Replication.Versions;
using Unitization.StateStore;
using Unitization.Throttle.Budget;
using Unitization.Throttle.Hosting;

namespace Unitization.Replication.Cli;

/// <summary>
/// <c>unitization bench copy</c>: the replicator's staged, verified, atomic copy of a directory between two local
/// namespaces on one disk, side by side with <c>cp -r</c> of the same files; with <c>--rate</c>, the copy through the
/// throttle's link budget at that rate and the rate it achieved.
/// </summary>
internal static class ReplicationBenchmarks
{
    public static IEnumerable<Command> Commands()
    {
        var files = new Option<int>("--files") { Description = "Files in the copied directory.", DefaultValueFactory = _ => 64 };
        var size = new Option<int>("--size-mb") { Description = "Size of each file in MB.", DefaultValueFactory = _ => 8 };
        var rate = new Option<string?>("--rate") { Description = "Also copy through the throttle's link budget at this rate (e.g. 50MB/s) and report the rate achieved." };
        var dir = new Option<string?>("--dir") { Description = "Scratch folder (default: a temp folder); the baseline and the copy use the same disk." };
        var parallel = new Option<int>("--parallel") { Description = "Files copied at once (Replication:CopyParallelism).", DefaultValueFactory = _ => 4 };
        var copy = new Command("copy", "Replica copy throughput vs cp -r of the same files on the same disk; throttled rate vs configured.") { files, size, rate, dir, parallel };
        copy.SetAction(async (parse, ct) =>
        {
            var bps = parse.GetValue(rate) is { } r ? MigrationSpec.ParseRate(r) : (long?)null;
            return await CopyAsync(parse.GetValue(files), parse.GetValue(size), bps, parse.GetValue(dir), Math.Max(1, parse.GetValue(parallel)), ct).ConfigureAwait(false);
        });
        yield return copy;
    }

    private static async Task<int> CopyAsync(int files, int sizeMb, long? rate, string? dir, int parallel, CancellationToken cancellationToken)
    {
        var scratch = dir is null
            ? Directory.CreateTempSubdirectory("unitization-bench-copy-")
            : Directory.CreateDirectory(Path.Join(dir, "unitization-bench-copy-" + Guid.NewGuid().ToString("N")[..8]));
        try
        {
            using var dcA = new LocalNamespace("dcA", Path.Join(scratch.FullName, "dcA"), TimeProvider.System);
            using var dcB = new LocalNamespace("dcB", Path.Join(scratch.FullName, "dcB"), TimeProvider.System);
            var data = new byte[sizeMb * 1_000_000];
            for (var i = 0; i < files; i++)
            {
                Random.Shared.NextBytes(data);
                await dcA.CreateAsync($"/bench/src/part-{i:D5}", (s, c) => s.WriteAsync(data, c).AsTask(), overwrite: false, cancellationToken).ConfigureAwait(false);
            }

            var bytes = (long)files * data.Length;
            var physical = Path.Join(dcA.Root, "files", "bench", "src");
            if (!Directory.Exists(physical))
            {
                throw new DirectoryNotFoundException($"The local namespace layout changed: '{physical}' does not exist.");
            }

            var database = new SqliteStateDatabase(Path.Join(scratch.FullName, "state.db"), [SqliteReplicaVersionStore.Migration], NullLogger<SqliteStateDatabase>.Instance);
            var versions = new SqliteReplicaVersionStore(database);
            await database.MigrateAsync(cancellationToken).ConfigureAwait(false);

            // best of three rounds each, alternating, so both see the same page cache and the same neighbours' load
            var copier = new ReplicaCopier(versions, null, null, TimeProvider.System, NullLogger<ReplicaCopier>.Instance);
            var request = new CopyRequest(dcA, dcB, "/bench/src", "bench", TrafficPriority.Normal, "/.unitization/staging/bench");
            double cpSeconds = double.MaxValue, durableCpSeconds = double.MaxValue, copySeconds = double.MaxValue;
            var watch = new Stopwatch();
            for (var round = 0; round < 3; round++)
            {
                var cpOut = Path.Join(scratch.FullName, "cp-out");
                cpSeconds = Math.Min(cpSeconds, await TimeCpAsync(physical, cpOut, durable: false, cancellationToken).ConfigureAwait(false));
                Directory.Delete(cpOut, recursive: true);
                durableCpSeconds = Math.Min(durableCpSeconds, await TimeCpAsync(physical, cpOut, durable: true, cancellationToken).ConfigureAwait(false));
                Directory.Delete(cpOut, recursive: true);
                await dcB.DeleteAsync("/bench/src", recursive: true, cancellationToken).ConfigureAwait(false);
                await versions.RemoveAsync("dcB", "/bench/src", cancellationToken).ConfigureAwait(false);
                watch.Restart();
                await copier.ReplicateAsync(request, parallel, cancellationToken).ConfigureAwait(false);
                copySeconds = Math.Min(copySeconds, watch.Elapsed.TotalSeconds);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bench copy: {files} files x {sizeMb} MB = {bytes / 1e6:F0} MB on one disk ({scratch.FullName})"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  cp -r (baseline)                          {cpSeconds,8:F2} s  {bytes / 1e6 / cpSeconds,8:F1} MB/s"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  cp -r + sync -f (durable baseline)        {durableCpSeconds,8:F2} s  {bytes / 1e6 / durableCpSeconds,8:F1} MB/s"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  replica copy (staged, SHA-256, fsync, rename, {parallel} at once) {copySeconds,8:F2} s  {bytes / 1e6 / copySeconds,8:F1} MB/s"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  ratio replica/cp -r throughput            {cpSeconds / copySeconds,8:F3}   (goal >= 0.9)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  ratio replica/durable cp throughput       {durableCpSeconds / copySeconds,8:F3}"));

            if (rate is { } bps)
            {
                var services = new ServiceCollection();
                services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
                var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Throttle:Links:0:From"] = "dcA",
                    ["Throttle:Links:0:To"] = "dcB",
                    ["Throttle:Links:0:BytesPerSecond"] = bps.ToString(CultureInfo.InvariantCulture),
                }).Build();
                services.AddThrottleClient(configuration);
                await using var provider = services.BuildServiceProvider();
                var budget = new MeteredBudget(provider.GetRequiredService<IBandwidthBudget>());
                var throttled = new ReplicaCopier(versions, budget, null, TimeProvider.System, NullLogger<ReplicaCopier>.Instance);
                await dcB.DeleteAsync("/bench/src", recursive: true, cancellationToken).ConfigureAwait(false);
                await versions.RemoveAsync("dcB", "/bench/src", cancellationToken).ConfigureAwait(false);
                watch.Restart();
                await throttled.ReplicateAsync(request, parallel, cancellationToken).ConfigureAwait(false);
                var endToEnd = bytes / watch.Elapsed.TotalSeconds;
                var stream = budget.Rate() ?? endToEnd;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  throttled via link budget dcA->dcB, configured {bps / 1e6:F2} MB/s:"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    copy stream rate (bytes granted / time between grants) {stream / 1e6,8:F2} MB/s ({(stream - bps) / bps * 100:+0.00;-0.00}%)   (goal within 2%)"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    end to end (listing, staging, fsync, verify, publish)  {endToEnd / 1e6,8:F2} MB/s ({(endToEnd - bps) / bps * 100:+0.00;-0.00}%)"));
            }

            return 0;
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    /// <summary><c>cp -r</c>; durable: then <c>sync -f</c> on the copy, as the replica's files are on disk when it is published.</summary>
    private static async Task<double> TimeCpAsync(string source, string destination, bool durable, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        await RunAsync("cp", ["-r", source, destination], cancellationToken).ConfigureAwait(false);
        if (durable)
        {
            await RunAsync("sync", ["-f", destination], cancellationToken).ConfigureAwait(false);
        }

        return watch.Elapsed.TotalSeconds;
    }

    private static async Task RunAsync(string program, string[] arguments, CancellationToken cancellationToken)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { UseShellExecute = false })
            ?? throw new InvalidOperationException($"Could not start {program}.");
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}.");
        }
    }
}
