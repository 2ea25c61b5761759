using System.CommandLine;
using System.Text.Json;
using Unitization.DataManager.Placement;
using Unitization.DataManager.Plans;

namespace Unitization.DataManager.Cli;

/// <summary><c>unitization place --lineage FILE --datacenters dcA=5,dcB=3 [--eps 0.1] [--solver-seconds 10] [--previous PLAN --max-moves N] --out PLAN</c>.</summary>
internal static class PlaceCommand
{
    public static Command Create()
    {
        var lineage = new Option<FileInfo>("--lineage") { Description = "OpenLineage RunEvents, one JSON object per line.", Required = true };
        var datacenters = new Option<string>("--datacenters") { Description = "Datacenters and capacity shares, e.g. dcA=5,dcB=3,dcC=2.", Required = true };
        var eps = new Option<double>("--eps") { Description = "Balance slack: each datacenter's load stays within (1+eps)*share*total.", DefaultValueFactory = _ => 0.1 };
        var window = new Option<int>("--window-days") { Description = "Days of lineage that count (ending at the newest event).", DefaultValueFactory = _ => 7 };
        var seed = new Option<long>("--seed") { Description = "Community detection seed.", DefaultValueFactory = _ => 42 };
        var previous = new Option<FileInfo?>("--previous") { Description = "The plan in force: its primaries stay, and only moves that repay their migration are made (at most --max-moves)." };
        var maxMoves = new Option<int>("--max-moves") { Description = "With --previous: the most jobs that may change datacenter.", DefaultValueFactory = _ => int.MaxValue };
        var horizon = new Option<double>("--horizon-days") { Description = "With --previous: a move must repay its migration bytes within this many days.", DefaultValueFactory = _ => 30 };
        var maxMigration = new Option<double?>("--max-migration-bytes") { Description = "With --previous: the most bytes the moves may copy (default: no limit)." };
        var solverSeconds = new Option<double>("--solver-seconds") { Description = "The exact phase's time limit, all solvers together (0: heuristic only).", DefaultValueFactory = _ => 10 };
        var output = new Option<FileInfo>("--out") { Description = "Where to write the plan (JSON).", Required = true };
        var command = new Command("place", "Compute a placement plan from OpenLineage lineage (jobs and datasets to datacenters).")
        {
            lineage, datacenters, eps, window, seed, previous, maxMoves, horizon, maxMigration, solverSeconds, output,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var input = parse.GetValue(lineage)!;
            if (!input.Exists)
            {
                await Console.Error.WriteLineAsync($"--lineage: {input.FullName} does not exist.").ConfigureAwait(false);
                return 2;
            }

            string[] ids;
            double[] shares;
            try
            {
                (ids, shares) = DatacenterShares.Parse(parse.GetValue(datacenters)!);
            }
            catch (FormatException ex)
            {
                await Console.Error.WriteLineAsync($"--datacenters: {ex.Message}").ConfigureAwait(false);
                return 2;
            }

            if (parse.GetValue(eps) is var slack && !(slack >= 0))
            {
                await Console.Error.WriteLineAsync($"--eps: must be >= 0, got {slack}.").ConfigureAwait(false);
                return 2;
            }

            if (parse.GetValue(window) < 1 || parse.GetValue(maxMoves) < 0)
            {
                await Console.Error.WriteLineAsync("--window-days must be >= 1 and --max-moves >= 0.").ConfigureAwait(false);
                return 2;
            }

            if (!(parse.GetValue(horizon) >= 1) || parse.GetValue(maxMigration) is < 0 || !(parse.GetValue(solverSeconds) >= 0))
            {
                await Console.Error.WriteLineAsync("--horizon-days must be >= 1, --max-migration-bytes >= 0 and --solver-seconds >= 0.").ConfigureAwait(false);
                return 2;
            }

            PlacementPlan? before = null;
            if (parse.GetValue(previous) is { } previousFile)
            {
                try
                {
                    await using var stream = previousFile.OpenRead();
                    before = await JsonSerializer.DeserializeAsync<PlacementPlan>(stream, PlacementPlan.Json, cancellationToken).ConfigureAwait(false)
                        ?? throw new JsonException("the file holds null");
                }
                catch (Exception ex) when (ex is JsonException or IOException)
                {
                    await Console.Error.WriteLineAsync($"--previous: {previousFile.FullName}: not a placement plan: {ex.Message}").ConfigureAwait(false);
                    return 2;
                }
            }

            var placement = new PlacementOptions(parse.GetValue(seed), parse.GetValue(maxMoves), SolverSeconds: parse.GetValue(solverSeconds),
                HorizonDays: parse.GetValue(horizon), MaxMigrationBytesPerDay: parse.GetValue(maxMigration) ?? double.PositiveInfinity);
            var outcome = await PlaceRun.RunAsync(input.FullName, parse.GetValue(window), new PlanSettings(ids, shares, slack, placement, []),
                before, parse.GetValue(output)!.FullName, TimeProvider.System, cancellationToken).ConfigureAwait(false);

            // nothing valid read: say so and fail, rather than write an empty plan
            return PlaceRun.PrintSummary(outcome, input.FullName) ? 0 : 1;
        });
        return command;
    }
}
