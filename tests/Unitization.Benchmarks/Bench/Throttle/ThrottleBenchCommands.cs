using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Unitization.Throttle.Budget;
using Unitization.Throttle.Configuration;
using Unitization.Throttle.Simulation;

namespace Unitization.Benchmarks.Bench.Throttle;

/// <summary>The benchmarks Throttle contributes to <c>unitization bench</c>: <c>bench throttle</c>.</summary>
public static class ThrottleBenchCommands
{
    public static IEnumerable<Command> Benchmarks()
    {
        var seconds = new Option<double>("--seconds") { Description = "Simulated seconds per accuracy and fairness run.", DefaultValueFactory = _ => 10 };
        var realSeconds = new Option<double>("--real-seconds") { Description = "Seconds of the run on the real clock.", DefaultValueFactory = _ => 3 };
        var command = new Command("throttle", "Throttle figures: rate accuracy 1 MB/s-10 GB/s, fairness (Jain, weights, floors), cost per acquire vs TokenBucketRateLimiter.")
        {
            seconds,
            realSeconds,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var simulated = TimeSpan.FromSeconds(parse.GetValue(seconds));
            var real = TimeSpan.FromSeconds(parse.GetValue(realSeconds));
            if (simulated <= TimeSpan.Zero || real <= TimeSpan.Zero)
            {
                await Console.Error.WriteLineAsync("--seconds and --real-seconds must be positive.").ConfigureAwait(false);
                return 2;
            }

            await RunAsync(simulated, real, cancellationToken).ConfigureAwait(false);
            return 0;
        });
        yield return command;
    }

    private static async Task RunAsync(TimeSpan simulated, TimeSpan real, CancellationToken cancellationToken)
    {
        double[] rates = [1e6, 1e7, 1e8, 1e9, 1e10];
        var accuracy = new List<(double Rate, SimulationResult Result)>();
        SimulationResult? equal = null, weighted = null, floors = null;
        (double Delivered, long[] PerStream) realRun = default;
        (double LimiterNs, double BudgetNs) cost = default;
        var floorOptions = new ClassFloorOptions();

        await AnsiConsole.Progress().AutoClear(false).StartAsync(async progress =>
        {
            var accuracyTask = progress.AddTask($"accuracy, {simulated.TotalSeconds:0} s simulated per rate", maxValue: rates.Length);
            var fairnessTask = progress.AddTask("fairness (100 streams, weights, floors)", maxValue: 3);
            var realTask = progress.AddTask($"real clock, {real.TotalSeconds:0.#} s", maxValue: 1);
            var costTask = progress.AddTask("cost per acquire", maxValue: 1);
            foreach (var rate in rates)
            {
                accuracy.Add((rate, await Task.Run(() => ThrottleSimulation.Run(rate, [new SimulatedStream("job", TrafficPriority.Normal, ThrottleSimulation.ChunkFor(rate))], simulated), cancellationToken).ConfigureAwait(false)));
                accuracyTask.Increment(1);
            }

            equal = await Task.Run(() => ThrottleSimulation.Run(1e9, [.. Enumerable.Range(0, 100).Select(i => new SimulatedStream($"job-{i}", TrafficPriority.Normal, 64 * 1024))], simulated), cancellationToken).ConfigureAwait(false);
            fairnessTask.Increment(1);
            weighted = await Task.Run(() => ThrottleSimulation.Run(1e9, [new("w1", TrafficPriority.Normal, 64 * 1024, 1), new("w2", TrafficPriority.Normal, 64 * 1024, 2), new("w4", TrafficPriority.Normal, 64 * 1024, 4)], simulated), cancellationToken).ConfigureAwait(false);
            fairnessTask.Increment(1);
            floors = await Task.Run(() => ThrottleSimulation.Run(1e9, [new("high-1", TrafficPriority.High, 64 * 1024), new("high-2", TrafficPriority.High, 64 * 1024), new("high-3", TrafficPriority.High, 64 * 1024), new("low", TrafficPriority.Low, 64 * 1024)], simulated, floorOptions), cancellationToken).ConfigureAwait(false);
            fairnessTask.Increment(1);
            realRun = await RealTimeRun.RunAsync(50e6, 4, real, cancellationToken).ConfigureAwait(false);
            realTask.Increment(1);
            cost = await AcquireCost.MeasureAsync(2_000_000, cancellationToken).ConfigureAwait(false);
            costTask.Increment(1);
        }).ConfigureAwait(false);

        var table = new Table().Title("Rate accuracy (one saturating stream, simulated time; includes the initial burst)")
            .AddColumns("configured", "delivered", "error", "error without the burst", "grants");
        foreach (var (rate, result) in accuracy)
        {
            var burst = new LinkOptions { BytesPerSecond = rate }.EffectiveBurst();
            var sustained = ((result.TotalBytes - burst) / result.Duration.TotalSeconds / rate) - 1;
            table.AddRow(Rate(rate), Rate(result.DeliveredBytesPerSecond), Percent(result.RateError), Percent(sustained), result.Grants.ToString("N0", CultureInfo.InvariantCulture));
        }

        var realError = (realRun.Delivered / 50e6) - 1;
        table.AddRow($"{Rate(50e6)} (real clock, 4 streams, {real.TotalSeconds:0.#} s, burst spent first)", Rate(realRun.Delivered), "-", Percent(realError), "-");
        AnsiConsole.Write(table);

        var shares = new[] { 1 / 7d, 2 / 7d, 4 / 7d };
        var fairness = new Table().Title("Fairness (1 GB/s link, 64 KiB chunks, simulated time)").AddColumns("case", "figure", "target");
        fairness.AddRow("100 equal streams: Jain's index", equal!.JainIndex().ToString("0.00000", CultureInfo.InvariantCulture), ">= 0.99");
        for (var i = 0; i < 3; i++)
        {
            fairness.AddRow(
                $"weight {1 << i} of 1:2:4: share / weight share",
                (weighted!.ShareOf(i) / shares[i]).ToString("0.0000", CultureInfo.InvariantCulture),
                "within 2 % of 1");
        }

        fairness.AddRow("High saturating (3 streams): Low's share", Percent(floors!.ShareOf(3), signed: false), $">= its floor {floorOptions.Low:P0}");
        fairness.AddRow("High's share", Percent(floors.ShareOf(0) + floors.ShareOf(1) + floors.ShareOf(2), signed: false), "the rest");
        AnsiConsole.Write(fairness);

        var costs = new Table().Title("Cost per uncontended acquire (same run)").AddColumns("", "ns/acquire", "ratio");
        costs.AddRow("TokenBucketRateLimiter.AttemptAcquire (baseline)", cost.LimiterNs.ToString("0.0", CultureInfo.InvariantCulture), "1.00");
        costs.AddRow("IBandwidthBudget.AcquireAsync (link, class, tenant)", cost.BudgetNs.ToString("0.0", CultureInfo.InvariantCulture), (cost.BudgetNs / cost.LimiterNs).ToString("0.00", CultureInfo.InvariantCulture));
        AnsiConsole.Write(costs);
    }

    private static string Rate(double bytesPerSecond) => bytesPerSecond switch
    {
        >= 1e9 => (bytesPerSecond / 1e9).ToString("0.0000", CultureInfo.InvariantCulture) + " GB/s",
        >= 1e6 => (bytesPerSecond / 1e6).ToString("0.0000", CultureInfo.InvariantCulture) + " MB/s",
        _ => bytesPerSecond.ToString("0", CultureInfo.InvariantCulture) + " B/s",
    };

    private static string Percent(double fraction, bool signed = true) =>
        (fraction * 100).ToString(signed ? "+0.000;-0.000" : "0.000", CultureInfo.InvariantCulture) + " %";
}
