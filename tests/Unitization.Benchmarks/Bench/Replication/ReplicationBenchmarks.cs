using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;
using Unitization.Benchmarks.Bench.Probes;
using Unitization.Namespaces.Local;
using Unitization.Replication.Copy;
using Unitization.Replication.Migration;
using Unitization.Replication.Versions;
using Unitization.StateStore;
using Unitization.Throttle.Budget;
using Unitization.Throttle.Hosting;

namespace Unitization.Benchmarks.Bench.Replication;

/// <summary>
/// <c>unitization bench copy</c>: the replicator's staged, verified, durable, atomic copy of a directory between two
/// local namespaces on one disk, side by side with <c>cp -r</c> of the same files and with <c>cp -r</c> followed by
/// <c>sync -f</c> (a durable copy, which is what a published replica is by default), each replica mode against its
/// like (<c>Replication:SyncStagedData</c> true against the durable <c>cp</c>, false against the plain one; <c>--mode</c>
/// times one pair only); with <c>--rate</c>, the copy through the throttle's link budget at that rate and the rate it
/// achieved. On a virtual machine that hands freed memory back to its host (<see cref="FreePageReporting"/>) the report
/// says so: there the order of the contenders moves the figures of data sets near the memory's size.
/// </summary>
internal static class ReplicationBenchmarks
{
    private const double Goal = 0.9;

    /// <summary>cp -r, cp -r + sync -f, the durable replica, the replica without data fsync.</summary>
    private const int Contenders = 4;

    private static readonly string[] Names =
    [
        "cp -r",
        "cp -r + sync -f (durable)",
        "replica, SyncStagedData=true (default: durable)",
        "replica, SyncStagedData=false (no data fsync)",
    ];

    public static IEnumerable<Command> Commands()
    {
        var files = new Option<int>("--files") { Description = "Files in the copied directory.", DefaultValueFactory = _ => 64 };
        var size = new Option<int>("--size-mb") { Description = "Size of each file in MB.", DefaultValueFactory = _ => 8 };
        var rate = new Option<string?>("--rate") { Description = "Also copy through the throttle's link budget at this rate (e.g. 50MB/s) and report the rate achieved." };
        var dir = new Option<string?>("--dir") { Description = "Scratch folder (default: a temp folder); the baselines and the copy use the same disk." };
        var parallel = new Option<int>("--parallel") { Description = "Files copied at once (Replication:CopyParallelism).", DefaultValueFactory = _ => 4 };
        var rounds = new Option<int>("--rounds") { Description = "Alternating rounds of the copies; the median and every run of each are reported.", DefaultValueFactory = _ => 3 };
        var mode = new Option<string>("--mode")
        {
            Description = "Which replica mode to time against its like: durable (against cp -r + sync -f), no-fsync (against cp -r), or both.",
            DefaultValueFactory = _ => "both",
        };
        mode.AcceptOnlyFromAmong("both", "durable", "no-fsync");
        var dropBehind = new Option<bool>("--drop-behind") { Description = "The durable replica drops its pages behind it (Replication:DropCacheBehindWrites)." };
        var copy = new Command("copy", "Replica copy throughput vs cp -r and vs cp -r + sync of the same files on the same disk; throttled rate vs configured.")
        {
            files, size, rate, dir, parallel, rounds, mode, dropBehind,
        };
        copy.SetAction(async (parse, ct) =>
        {
            var bps = parse.GetValue(rate) is { } r ? MigrationSpec.ParseRate(r) : (long?)null;
            int[] contenders = parse.GetValue(mode) switch
            {
                "durable" => [1, 2],
                "no-fsync" => [0, 3],
                _ => [0, 1, 2, 3],
            };
            var shape = new CopyBenchShape(parse.GetValue(files), parse.GetValue(size), Math.Max(1, parse.GetValue(parallel)), Math.Max(1, parse.GetValue(rounds)), contenders, parse.GetValue(dropBehind));
            return await CopyAsync(shape, bps, parse.GetValue(dir), ct).ConfigureAwait(false);
        });
        yield return copy;
    }

    private static async Task<int> CopyAsync(CopyBenchShape shape, long? rate, string? dir, CancellationToken cancellationToken)
    {
        if (shape.Files <= 0 || shape.SizeMb <= 0)
        {
            Console.Error.WriteLine($"bench copy: --files ({shape.Files}) and --size-mb ({shape.SizeMb}) must be positive.");
            return 2;
        }

        var scratch = dir is null
            ? Directory.CreateTempSubdirectory("unitization-bench-copy-")
            : Directory.CreateDirectory(Path.Join(dir, "unitization-bench-copy-" + Guid.NewGuid().ToString("N")[..8]));
        try
        {
            // the source, plus one copy at a time (each contender's output is removed before the next one runs)
            var needed = (2 * shape.Bytes) + (1L << 30);
            var free = new DriveInfo(scratch.FullName).AvailableFreeSpace;
            if (free < needed)
            {
                Console.Error.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"bench copy: {scratch.FullName} has {free / 1e9:F1} GB free; {shape.Files} files x {shape.SizeMb} MB need {needed / 1e9:F1} GB (the source and one copy at a time, plus 1 GB). Use fewer or smaller files, or --dir on a bigger disk."));
                return 2;
            }

            using var dcA = new LocalNamespace("dcA", Path.Join(scratch.FullName, "dcA"), TimeProvider.System);
            using var dcB = new LocalNamespace("dcB", Path.Join(scratch.FullName, "dcB"), TimeProvider.System);
            var physical = Path.Join(dcA.Root, "files", "bench", "src");
            var database = new SqliteStateDatabase(Path.Join(scratch.FullName, "state.db"), [StateStoreReplicaVersionStore.Migration], NullLogger<SqliteStateDatabase>.Instance);
            var versions = new StateStoreReplicaVersionStore(database);
            await database.MigrateAsync(cancellationToken).ConfigureAwait(false);
            ReplicaCopier[] copiers =
            [
                new(versions, null, null, TimeProvider.System, NullLogger<ReplicaCopier>.Instance, syncStagedData: true, shape.DropBehind),
                new(versions, null, null, TimeProvider.System, NullLogger<ReplicaCopier>.Instance, syncStagedData: false),
            ];
            var request = new CopyRequest(dcA, dcB, "/bench/src", "bench", TrafficPriority.Normal, "/.unitization/staging/bench");
            var cpOut = Path.Join(scratch.FullName, "cp-out");
            var runs = Enumerable.Range(0, Contenders).Select(_ => new List<(double Seconds, double Cpu)>()).ToArray();
            var load = LoadAverage();

            await AnsiConsole.Progress()
                .AutoClear(true)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                .StartAsync(async context =>
                {
                    var writing = context.AddTask("source files", maxValue: shape.Files);
                    var data = new byte[shape.SizeMb * 1_000_000];
                    for (var i = 0; i < shape.Files; i++)
                    {
                        Random.Shared.NextBytes(data);
                        await dcA.CreateAsync($"/bench/src/part-{i:D5}", (s, c) => s.WriteAsync(data, c).AsTask(), overwrite: false, cancellationToken).ConfigureAwait(false);
                        writing.Increment(1);
                    }

                    if (!Directory.Exists(physical))
                    {
                        throw new DirectoryNotFoundException($"The local namespace layout changed: '{physical}' does not exist.");
                    }

                    // alternating rounds, so all contenders see the same page cache and the same neighbours' load; before
                    // each timed copy the disk is synced (untimed), so nobody pays for the previous contender's dirty pages
                    var running = context.AddTask(
                        $"{shape.Rounds} rounds x ({string.Join(", ", shape.Contenders.Select(c => Names[c]))})", maxValue: shape.Rounds * shape.Contenders.Count);
                    for (var round = 0; round < shape.Rounds; round++)
                    {
                        // each round starts with another contender, so none always goes first (after the source was
                        // written) or always follows the same one
                        for (var turn = 0; turn < shape.Contenders.Count; turn++)
                        {
                            var contender = shape.Contenders[(round + turn) % shape.Contenders.Count];
                            await RunAsync("sync", [], cancellationToken).ConfigureAwait(false);
                            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                            var watch = Stopwatch.StartNew();
                            if (contender < 2)
                            {
                                await TimeCpAsync(physical, cpOut, durable: contender == 1, cancellationToken).ConfigureAwait(false);
                                runs[contender].Add((watch.Elapsed.TotalSeconds, double.NaN));
                                Directory.Delete(cpOut, recursive: true);
                            }
                            else
                            {
                                await copiers[contender - 2].ReplicateAsync(request, shape.Parallel, cancellationToken).ConfigureAwait(false);
                                runs[contender].Add((watch.Elapsed.TotalSeconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds));
                                await dcB.DeleteAsync("/bench/src", recursive: true, cancellationToken).ConfigureAwait(false);
                                await versions.RemoveAsync("dcB", "/bench/src", cancellationToken).ConfigureAwait(false);
                            }

                            running.Increment(1);
                        }
                    }
                }).ConfigureAwait(false);

            Report(shape, scratch.FullName, load, runs);
            if (rate is { } bps)
            {
                await ThrottledAsync(shape, bps, versions, request, cancellationToken).ConfigureAwait(false);
            }

            return 0;
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    private static void Report(CopyBenchShape shape, string scratch, string? load, List<(double Seconds, double Cpu)>[] runs)
    {
        var mb = shape.Bytes / 1e6;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"bench copy: {shape.Files} files x {shape.SizeMb} MB = {mb:F0} MB on one disk ({scratch}), median of {shape.Rounds} alternating rounds, replica {shape.Parallel} files at once{(shape.DropBehind ? ", durable replica dropping its pages behind it" : string.Empty)}"));
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"  {Environment.ProcessorCount} cores, load average {load ?? "unknown"} at the start (figures from a loaded machine are low and noisy: re-run when it is above the core count)"));
        if (DirtyLimit.Bytes() is { } dirty)
        {
            var gb = string.Create(CultureInfo.InvariantCulture, $"data set {mb / 1e3:F1} GB {(shape.Bytes > dirty ? '>' : '<')} dirty limit ~{dirty / 1e9:F1} GB");
            Console.WriteLine(shape.Bytes > dirty
                ? $"  {gb}: cp -r has to wait for the disk too"
                : $"  {gb}: cp -r ends with its pages dirty in memory, not on disk (try --files 16 --size-mb 512)");
        }

        if (FreePageReporting.IsOn() == true)
        {
            Console.WriteLine(
                "  free page reporting is on (virtio balloon): memory freed here goes back to the host and costs a host fault per page when written again. " +
                "A copy that allocates fresh page cache after another freed it pays for that (cp -r and the replica keep every page they write; " +
                "with --drop-behind the durable replica reuses its own), so at sizes near the memory the figures depend on the order of the contenders. " +
                "For like-for-like disk figures, measure where it is off (the README's 8.2 GB figures: with the balloon driver unbound for the run).");
        }

        var medians = runs.Select(r => r.Count == 0 ? double.NaN : Median(r.Select(x => x.Seconds))).ToArray();
        foreach (var i in shape.Contenders)
        {
            var cpu = i < 2 ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"  ({Median(runs[i].Select(x => x.Cpu)):F2} s of CPU)");
            var all = string.Join(' ', runs[i].Select(x => x.Seconds.ToString("F3", CultureInfo.InvariantCulture)));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {Names[i],-48} {medians[i],8:F3} s  {mb / medians[i],8:F1} MB/s{cpu}   runs: {all}"));
        }

        if (shape.Contenders.Contains(2))
        {
            Ratio("durable replica / cp -r + sync -f   (like for like)", medians[1] / medians[2]);
        }

        if (shape.Contenders.Contains(3))
        {
            Ratio("replica without fsync / cp -r       (like for like)", medians[0] / medians[3]);
        }

        if (shape.Contenders.Contains(0) && shape.Contenders.Contains(2))
        {
            Ratio("durable replica / cp -r             (for reference)", medians[0] / medians[2]);
        }
    }

    private static void Ratio(string what, double ratio) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  throughput ratio {what} {ratio,8:F3}   goal >= {Goal}: {Verdict(ratio)}"));

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>The 1-, 5- and 15-minute load averages (Linux), or null.</summary>
    private static string? LoadAverage()
    {
        try
        {
            return OperatingSystem.IsLinux() ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string Verdict(double ratio) => ratio >= Goal ? "met" : "not met";

    private static async Task ThrottledAsync(CopyBenchShape shape, long bps, StateStoreReplicaVersionStore versions, CopyRequest request, CancellationToken cancellationToken)
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
        var watch = Stopwatch.StartNew();
        await throttled.ReplicateAsync(request, shape.Parallel, cancellationToken).ConfigureAwait(false);
        var endToEnd = shape.Bytes / watch.Elapsed.TotalSeconds;
        var stream = budget.Rate() ?? endToEnd;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  throttled via link budget dcA->dcB, configured {bps / 1e6:F2} MB/s:"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    copy stream rate (bytes granted / time between grants) {stream / 1e6,8:F2} MB/s ({(stream - bps) / bps * 100:+0.00;-0.00}%)   (goal within 2%)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    end to end (listing, staging, fsync, verify, publish)  {endToEnd / 1e6,8:F2} MB/s ({(endToEnd - bps) / bps * 100:+0.00;-0.00}%)"));
    }

    /// <summary><c>cp -r</c>; durable: then <c>sync -f</c> on the copy, as the durable replica's files are on disk when it is published.</summary>
    private static async Task TimeCpAsync(string source, string destination, bool durable, CancellationToken cancellationToken)
    {
        await RunAsync("cp", ["-r", source, destination], cancellationToken).ConfigureAwait(false);
        if (durable)
        {
            await RunAsync("sync", ["-f", destination], cancellationToken).ConfigureAwait(false);
        }
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
