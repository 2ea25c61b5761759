using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Spectre.Console;
using Unitization.Namespaces;
using Unitization.Namespaces.Configuration;
using Unitization.Replication.Migration;
using Unitization.Throttle.Budget;

namespace Unitization.Replication.Cli;

/// <summary>The command-line verbs Replication contributes: <c>migrate</c>, <c>replication dead-letters list|replay</c>.</summary>
public static class ReplicationCommands
{
    /// <param name="addServices">Registers what the executable adds to the verbs' services (e.g. the <c>hdfs</c> namespace factory).</param>
    public static IEnumerable<Command> Verbs(Action<IServiceCollection>? addServices = null)
    {
        yield return Migrate(addServices);
        yield return DeadLetterCommands.Create();
    }

    internal static Option<FileInfo> ConfigOption() => new("--config")
    {
        Description = "The JSON configuration file.",
        DefaultValueFactory = _ => new FileInfo(Path.Join("infra", "config", "unitization.json")),
    };

    internal static Option<string?> DataOption() => new("--data") { Description = "Overrides the configuration's DataFolder." };

    private static Command Migrate(Action<IServiceCollection>? addServices)
    {
        var source = new Option<string>("--source") { Description = "What to migrate: DATACENTER:/path, e.g. dcA:/warehouse/sales.db/orders.", Required = true };
        var target = new Option<string>("--target") { Description = "The datacenter to copy it to, e.g. dcB.", Required = true };
        var parallel = new Option<int>("--parallel") { Description = "Files copied at once.", DefaultValueFactory = _ => 4 };
        var rate = new Option<string?>("--rate") { Description = "Cap on this migration's rate inside the link's budget, e.g. 200MB/s (default: no cap of its own; the link's budget always applies)." };
        var priority = new Option<string>("--priority") { Description = "Priority class in the link's budget: Low (default), Normal or High.", DefaultValueFactory = _ => "Low" };
        var config = ConfigOption();
        var data = DataOption();
        var migrate = new Command("migrate", "Migrate a historical snapshot of a path to another datacenter: resumable, verified, caught up from the edit log, inside the link's budget.")
        {
            source, target, parallel, rate, priority, config, data,
        };
        migrate.SetAction(async (parse, cancellationToken) =>
        {
            MigrationSpec spec;
            try
            {
                var (dc, path) = MigrationSpec.ParseSource(parse.GetValue(source)!);
                var bps = parse.GetValue(rate) is { } r ? MigrationSpec.ParseRate(r) : (long?)null;
                if (parse.GetValue(parallel) is < 1 or > 256)
                {
                    throw new FormatException($"--parallel {parse.GetValue(parallel)} must be between 1 and 256.");
                }

                spec = new MigrationSpec(dc, path, parse.GetValue(target)!, parse.GetValue(parallel), bps, MigrationSpec.ParsePriority(parse.GetValue(priority)!));
            }
            catch (FormatException ex)
            {
                await Console.Error.WriteLineAsync("unitization migrate: " + ex.Message).ConfigureAwait(false);
                return 2;
            }

            var resume = ResumeCommand(spec, parse.GetValue(rate), parse.GetValue(config), parse.GetValue(data));

            // Ctrl-C and SIGTERM stop the copy at its next chunk instead of ending the process, so the message below is said
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal => Stop(signal, stop));
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal => Stop(signal, stop));
            cancellationToken = stop.Token;
            ServiceProvider? services = null;
            try
            {
                services = await CliServices.BuildAsync(parse.GetValue(config)!, parse.GetValue(data), cancellationToken, addServices).ConfigureAwait(false);
                var checkpoints = services.GetRequiredService<IOptions<TopologyOptions>>().Value.ResolvePath("migrations");
                var chunkSize = services.GetRequiredService<IOptions<ReplicationOptions>>().Value.MigrationChunkSize;

                // said as Ctrl-C arrives, on the signal's thread: the command line's termination handler ends the process
                // if the copy takes longer than its timeout to stop, and what a stopping copy still verifies only adds to it
                using var interrupted = cancellationToken.Register(() => Console.Error.WriteLine(Interrupted(spec, MigrationRunner.DescribeKept(spec, checkpoints, chunkSize), resume)));
                var result = await RunWithProgressAsync(services, spec, cancellationToken).ConfigureAwait(false);
                // plain, unwrapped: scripts read this line
                await Console.Out.WriteLineAsync(result.Note is { } note
                    ? string.Create(CultureInfo.InvariantCulture, $"nothing to copy: {note}; replica version txid {result.VersionTxId}")
                    : string.Create(
                        CultureInfo.InvariantCulture,
                        $"migrated {spec.Source}:{spec.Path} -> {spec.Target}: {result.Progress.FilesDone} files, {result.Progress.BytesDone:N0} bytes " +
                        $"({result.Progress.BytesCopied:N0} copied by this run), snapshot txid {result.SnapshotTxId}, replica version txid {result.VersionTxId}")).ConfigureAwait(false);
                return 0;
            }
            catch (OperationCanceledException) when (services is not null)
            {
                return 130; // what was kept and how to resume was said as the interrupt arrived
            }
            catch (OperationCanceledException)
            {
                await Console.Error.WriteLineAsync($"unitization migrate: interrupted before it started; nothing was copied. Run it with:{Environment.NewLine}  {resume}").ConfigureAwait(false);
                return 130;
            }
            catch (Exception ex) when (ex is IOException or KeyNotFoundException or InvalidDataException or UnauthorizedAccessException or NamespacePathException or InvalidOperationException)
            {
                await Console.Error.WriteLineAsync($"unitization migrate: {ex.Message}").ConfigureAwait(false);
                return 1;
            }
            finally
            {
                if (services is not null)
                {
                    await services.DisposeAsync().ConfigureAwait(false);
                }
            }
        });
        return migrate;
    }

    private static void Stop(PosixSignalContext signal, CancellationTokenSource stop)
    {
        signal.Cancel = true;
        stop.Cancel();
    }

    /// <summary>What Ctrl-C leaves: what the checkpoint keeps, that nothing is published, and the command that resumes.</summary>
    internal static string Interrupted(MigrationSpec spec, MigrationKept kept, string resume)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(kept);
        var chunks = kept.ChunkBytesKept > 0 ? string.Create(CultureInfo.InvariantCulture, $", plus {kept.ChunkBytesKept:N0} bytes of verified chunks of files not finished") : string.Empty;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{Environment.NewLine}unitization migrate: interrupted. Kept: {kept.FilesKept} of {kept.FilesTotal} files verified in {spec.Target}'s staging ({kept.FileBytesKept:N0} bytes){chunks}; " +
            $"{kept.BytesKept:N0} of {kept.BytesTotal:N0} bytes in all (checkpoint {kept.CheckpointFolder}). Nothing is published at {spec.Target}:{spec.Path} until it completes.{Environment.NewLine}" +
            $"Resume with:{Environment.NewLine}  {resume}");
    }

    /// <summary>The command that runs this migration again (and so resumes it), with the options it was given.</summary>
    internal static string ResumeCommand(MigrationSpec spec, string? rate, FileInfo? config, string? data)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var words = new List<string> { "unitization", "migrate", "--source", $"{spec.Source}:{spec.Path}", "--target", spec.Target, "--parallel", spec.Parallel.ToString(CultureInfo.InvariantCulture) };
        if (rate is not null)
        {
            words.AddRange(["--rate", rate]);
        }

        if (spec.Priority != TrafficPriority.Low)
        {
            words.AddRange(["--priority", spec.Priority.ToString()]);
        }

        if (config is not null)
        {
            words.AddRange(["--config", config.FullName]);
        }

        if (data is not null)
        {
            words.AddRange(["--data", Path.GetFullPath(data)]);
        }

        return string.Join(' ', words.Select(Quote));
    }

    /// <summary>A word as a POSIX shell reads it back: bare when it is plain, else in single quotes.</summary>
    private static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "/:._-=,+@%".Contains(c, StringComparison.Ordinal))
            ? word
            : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static async Task<MigrationProgress> RunWithProgressAsync(IServiceProvider services, MigrationSpec spec, CancellationToken cancellationToken)
    {
        var namespaces = services.GetRequiredService<INamespaceCatalog>();
        var topology = services.GetRequiredService<IOptions<TopologyOptions>>().Value;
        var options = services.GetRequiredService<IOptions<ReplicationOptions>>().Value;
        var runner = services.GetRequiredService<MigrationRunner>();
        var time = services.GetRequiredService<TimeProvider>();
        var budget = MigrationRunner.BudgetFor(spec, services.GetService<IBandwidthBudget>(), time);
        var source = namespaces.Get(spec.Source);
        var target = namespaces.Get(spec.Target);
        MigrationProgress? result = null;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(
                new TaskDescriptionColumn(),
                new ProgressBarColumn(),
                new PercentageColumn(),
                new DownloadedColumn(),
                new MigrationRateColumn(),
                new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask($"{spec.Source}:{spec.Path} -> {spec.Target}", maxValue: 1);
                var progress = new SyncProgress<MigrationProgress>(p =>
                {
                    task.MaxValue = Math.Max(1, p.Progress.BytesTotal);
                    task.Value = p.Phase == MigrationPhase.Done ? task.MaxValue : p.Progress.BytesDone;
                    task.State.Update<double>(MigrationRateColumn.RateKey, _ => p.Progress.BytesPerSecond);
                    task.State.Update<double>(MigrationRateColumn.EtaKey, _ => p.Progress.EtaSeconds ?? 0);
                    task.Description = $"{p.Phase,-11} {p.Progress.FilesDone}/{p.Progress.FilesTotal} files";
                });
                result = await runner.RunAsync(spec, source, target, topology.ResolvePath("migrations"), options.WorkRoot, budget, progress, cancellationToken).ConfigureAwait(false);
            }).ConfigureAwait(false);
        return result!;
    }
}
