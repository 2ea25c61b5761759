using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Unitization.DataManager.Lineage;
using Unitization.DataManager.Placement;
using Unitization.DataManager.Plans;

namespace Unitization.DataManager.Cli;

/// <summary>What <c>place</c> does end to end: read lineage, place, write the plan, print the summary.</summary>
internal static class PlaceRun
{
    /// <summary>
    /// Runs place; the outcome has the seconds spent in each phase, in order. When the file holds no valid RunEvent
    /// with a job, no plan is computed or written (the outcome's plan is null).
    /// </summary>
    public static async Task<PlaceOutcome> RunAsync(
        string lineagePath, int windowDays, PlanSettings settings, PlacementPlan? previous, string outPath, TimeProvider time, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        LineageReadResult read = null!;
        PlacementPlan? plan = null;
        var phases = new List<PlacePhase>();
        using var process = Process.GetCurrentProcess();
        var phase = (Name: string.Empty, Start: 0.0, Cpu: 0.0);
        void Enter(string name)
        {
            if (name == phase.Name)
            {
                return;
            }

            var now = watch.Elapsed.TotalSeconds;
            process.Refresh();
            var cpu = process.TotalProcessorTime.TotalSeconds;
            if (phase.Name.Length > 0)
            {
                phases.Add(new(phase.Name, now - phase.Start, cpu - phase.Cpu));
            }

            phase = (name == "done" ? string.Empty : name, now, cpu);
        }

        async Task Work(Action<string, double> show)
        {
            void Report(string name, double fraction)
            {
                Enter(name);
                show(name, fraction);
            }

            var accumulator = new LineageAccumulator();
            read = LineageFile.Read(lineagePath, accumulator, new SyncProgress<double>(f => Report("reading lineage", f * 0.3)));
            Report("window and loads", 0.3);
            var lineage = accumulator.Snapshot(windowDays);
            if (lineage.Jobs.Length == 0)
            {
                Report("done", 1.0);
                return;
            }

            plan = PlanComputation.Compute(lineage, settings, previous, time,
                new SyncProgress<PlacementProgress>(p => Report(p.Phase, 0.3 + (p.Fraction * 0.6))), cancellationToken);
            Report("writing plan", 0.9);
            await using (var output = File.Create(outPath))
            {
                await JsonSerializer.SerializeAsync(output, plan, PlacementPlan.Json, cancellationToken).ConfigureAwait(false);
            }

            Report("done", 1.0);
        }

        if (Console.IsOutputRedirected)
        {
            await Work((_, _) => { }).ConfigureAwait(false);
        }
        else
        {
            await AnsiConsole.Progress().AutoClear(true).StartAsync(async context =>
            {
                var task = context.AddTask("place", maxValue: 1.0);
                await Work((phase, fraction) =>
                {
                    task.Description = phase;
                    task.Value = Math.Max(task.Value, fraction);
                }).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }

        var seconds = watch.Elapsed.TotalSeconds;
        plan?.Summary.Seconds = Math.Round(seconds, 3);
        return new PlaceOutcome(plan, read, seconds, phases);
    }

    /// <summary>Prints the lineage errors and the plan's summary; returns false (after saying why) when there is no plan.</summary>
    public static bool PrintSummary(PlaceOutcome outcome, string lineagePath)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var (plan, read, seconds, phases) = outcome;
        foreach (var error in read.Errors.Take(20))
        {
            Console.Error.WriteLine(error);
        }

        if (plan is null)
        {
            Console.Error.WriteLine(read.Accepted == 0
                ? $"--lineage: {lineagePath}: no valid OpenLineage RunEvent ({read.Skipped} line(s) skipped); no plan written."
                : $"--lineage: {lineagePath}: {read.Accepted} event(s) read but no job in the window; no plan written.");
            return false;
        }

        var s = plan.Summary;
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"lineage: {read.Accepted} events read, {read.Skipped} skipped; {s.Jobs} jobs, {s.Datasets} datasets over {s.WindowDays} day(s); {s.Communities} communities"));
        Console.WriteLine(string.Create(c, $"{"placement",-22} {"cross-DC/day",14} {"remote reads",14} {"remote writes",14} {"replication",14} {"imbalance",10}"));
        Line("this plan", s.CrossDcBytesPerDay, s.RemoteReadBytesPerDay, s.RemoteWriteBytesPerDay, s.ReplicationBytesPerDay, s.Imbalance);
        foreach (var (name, f) in s.Baselines)
        {
            Line(name == "hash" ? "hash (baseline)" : "one DC per DAG", f.CrossDcBytesPerDay, f.RemoteReadBytesPerDay, f.RemoteWriteBytesPerDay, f.ReplicationBytesPerDay, f.Imbalance);
        }

        foreach (var (name, f) in s.Baselines)
        {
            Console.WriteLine(string.Create(c, $"cross-DC bytes vs {name}: {(f.CrossDcBytesPerDay > 0 ? s.CrossDcBytesPerDay / f.CrossDcBytesPerDay : 0):F3}x"));
        }

        Console.WriteLine(string.Create(c,
            $"lower bound {Bytes(s.LowerBoundBytesPerDay)}/day ({s.BoundSource}); gap {s.Gap:P2}: the plan is at most that far above the optimum; solver: {s.Solver}"));
        Console.WriteLine(string.Create(c, $"balanced within eps {s.Eps}: {(s.Balanced ? "yes" : "NO")}; loads {string.Join(", ", s.Loads.Select(l => $"{l.Key}={Bytes(l.Value)}"))}"));
        if (plan.Moves.Count > 0 || s.MovedJobs > 0)
        {
            Console.WriteLine(string.Create(c, $"moves against the previous plan: {plan.Moves.Count} jobs, copying {Bytes(plan.Moves.Sum(m => m.CopyBytes))}, saving {Bytes(plan.Moves.Sum(m => m.SavesBytesPerDay))}/day"));
        }

        Console.WriteLine(string.Create(c, $"seconds {seconds:F2} (end to end): {string.Join(", ", phases.Select(p => $"{p.Name} {p.Seconds:F2}"))}"));
        Console.WriteLine(string.Create(c, $"CPU seconds {phases.Sum(p => p.CpuSeconds):F2} (all threads): {string.Join(", ", phases.Select(p => $"{p.Name} {p.CpuSeconds:F2}"))}"));
        return true;

        static void Line(string name, double total, double reads, double writes, double replication, double imbalance) =>
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-22} {Bytes(total),14} {Bytes(reads),14} {Bytes(writes),14} {Bytes(replication),14} {imbalance,10:P1}"));
    }

    public static string Bytes(double bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
        var u = 0;
        while (Math.Abs(bytes) >= 1024 && u < units.Length - 1)
        {
            bytes /= 1024;
            u++;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{bytes:F1} {units[u]}");
    }

    // Progress<T> posts to the thread pool; a synchronous callback keeps the bar in step with the work.
    private sealed class SyncProgress<T>(Action<T> handler) : IProgress<T>
    {
        public void Report(T value) => handler(value);
    }
}
