using System.CommandLine;
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
    public static IEnumerable<Command> Verbs()
    {
        yield return Migrate();
        yield return DeadLetterCommands.Create();
    }

    internal static Option<FileInfo> ConfigOption() => new("--config")
    {
        Description = "The JSON configuration file.",
        DefaultValueFactory = _ => new FileInfo(Path.Join("infra", "config", "unitization.json")),
    };

    internal static Option<string?> DataOption() => new("--data") { Description = "Overrides the configuration's DataFolder." };

    private static Command Migrate()
    {
        var source = new Option<string>("--source") { Description = "What to migrate: DATACENTER:/path, e.g. dcA:/warehouse/sales.db/orders.", Required = true };
        var target = new Option<string>("--target") { Description = "The datacenter to copy it to, e.g. dcB.", Required = true };
        var parallel = new Option<int>("--parallel") { Description = "Files copied at once.", DefaultValueFactory = _ => 4 };
        var rate = new Option<string?>("--rate") { Description = "Cap on this migration's rate, e.g. 200MB/s (default: the link's budget)." };
        var config = ConfigOption();
        var data = DataOption();
        var migrate = new Command("migrate", "Migrate a historical snapshot of a path to another datacenter: resumable, verified, caught up from the edit log.")
        {
            source, target, parallel, rate, config, data,
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

                spec = new MigrationSpec(dc, path, parse.GetValue(target)!, parse.GetValue(parallel), bps);
            }
            catch (FormatException ex)
            {
                await Console.Error.WriteLineAsync("unitization migrate: " + ex.Message).ConfigureAwait(false);
                return 2;
            }

            try
            {
                await using var services = await CliServices.BuildAsync(parse.GetValue(config)!, parse.GetValue(data), cancellationToken).ConfigureAwait(false);
                var result = await RunWithProgressAsync(services, spec, cancellationToken).ConfigureAwait(false);
                AnsiConsole.MarkupLine(
                    $"[green]migrated[/] {Markup.Escape(spec.Source)}:{Markup.Escape(spec.Path)} -> {Markup.Escape(spec.Target)}: " +
                    $"{result.FilesDone} files, {result.BytesDone:N0} bytes, snapshot txid {result.SnapshotTxId}, replica version txid {result.VersionTxId}");
                return 0;
            }
            catch (OperationCanceledException)
            {
                await Console.Error.WriteLineAsync($"unitization migrate: interrupted; run the same command again to resume (checkpoint id {spec.Id}).").ConfigureAwait(false);
                return 130;
            }
            catch (Exception ex) when (ex is IOException or KeyNotFoundException or InvalidDataException or UnauthorizedAccessException or NamespacePathException or InvalidOperationException)
            {
                await Console.Error.WriteLineAsync($"unitization migrate: {ex.Message}").ConfigureAwait(false);
                return 1;
            }
        });
        return migrate;
    }

    private static async Task<MigrationProgress> RunWithProgressAsync(IServiceProvider services, MigrationSpec spec, CancellationToken cancellationToken)
    {
        var namespaces = services.GetRequiredService<INamespaceCatalog>();
        var topology = services.GetRequiredService<IOptions<TopologyOptions>>().Value;
        var options = services.GetRequiredService<IOptions<ReplicationOptions>>().Value;
        var runner = services.GetRequiredService<MigrationRunner>();
        using var rate = spec.BytesPerSecond is { } bps ? new RateBudget(bps) : null;
        var budget = (IBandwidthBudget?)rate ?? services.GetService<IBandwidthBudget>();
        MigrationProgress? result = null;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(
                new TaskDescriptionColumn(),
                new ProgressBarColumn(),
                new PercentageColumn(),
                new DownloadedColumn(),
                new TransferSpeedColumn(),
                new RemainingTimeColumn(),
                new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask($"{spec.Source}:{spec.Path} -> {spec.Target}", maxValue: 1);
                var progress = new SyncProgress<MigrationProgress>(p =>
                {
                    task.MaxValue = Math.Max(1, p.BytesTotal);
                    task.Value = p.Phase == MigrationPhase.Done ? task.MaxValue : p.BytesDone;
                    task.Description = $"{p.Phase,-11} {p.FilesDone}/{p.FilesTotal} files";
                });
                result = await runner.RunAsync(
                    spec,
                    namespaces.Get(spec.Source),
                    namespaces.Get(spec.Target),
                    topology.ResolvePath("migrations"),
                    options.WorkRoot,
                    budget,
                    progress,
                    cancellationToken).ConfigureAwait(false);
            }).ConfigureAwait(false);
        return result!;
    }
}
