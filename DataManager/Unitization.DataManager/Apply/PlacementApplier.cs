using Microsoft.Extensions.Logging;
using Unitization.DataManager.Plans;
using Unitization.DataManager.Service;

namespace Unitization.DataManager.Apply;

/// <summary>
/// Turns the plan's changes into actions through <see cref="IPlacementActuator"/>, one apply at a time: primary moves
/// first, then bootstrap copies, then retirements, each dataset's applied state stored as soon as its change is done
/// (a failed change is reported and the others still run). The latest run's progress is kept for the API.
/// </summary>
internal sealed class PlacementApplier(PlanService plans, IAppliedPlacementStore store, TimeProvider time, ILogger<PlacementApplier> logger, IPlacementActuator? actuator = null)
{
    private readonly Lock _lock = new();
    private volatile ApplyRun? _latest;
    private Task? _running;
    private long _runs;

    /// <summary>Why changes cannot be applied in this process, or null when they can.</summary>
    public string? Unavailable => actuator is null
        ? "applying a plan needs the datamanager, replicator and router roles in one process (unitization serve --roles datamanager,replicator,router)"
        : null;

    public ApplyRun? Latest => _latest;

    /// <summary>The run in progress (or the last one), for callers that wait for it.</summary>
    public Task Running
    {
        get
        {
            lock (_lock)
            {
                return _running ?? Task.CompletedTask;
            }
        }
    }

    /// <summary>The changes between the plan in force and what is applied; null before the first plan.</summary>
    public async Task<PlacementChanges?> ChangesAsync(CancellationToken cancellationToken)
    {
        var act = actuator ?? throw new InvalidOperationException(Unavailable);
        if (await plans.CurrentAsync(cancellationToken).ConfigureAwait(false) is not { } index)
        {
            return null;
        }

        var applied = await store.ListAsync(cancellationToken).ConfigureAwait(false);
        return await PlacementDiff.ComputeAsync(index.Plan, applied, act, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts applying <paramref name="selected"/> in the background; null when an apply is already running.</summary>
    public ApplyRun? Start(long planVersion, IReadOnlyList<PlacementChange> selected)
    {
        ArgumentNullException.ThrowIfNull(selected);
        var act = actuator ?? throw new InvalidOperationException(Unavailable);
        lock (_lock)
        {
            if (_running is { IsCompleted: false })
            {
                return null;
            }

            var ordered = selected.OrderBy(c => PlacementChangeKind.Order(c.Kind)).ToList();
            var run = new ApplyRun(++_runs, planVersion, "running", 0, [.. ordered.Select(c => new ApplyStep(c, "pending", 0, null))], time.GetUtcNow(), null, null);
            _latest = run;
            _running = Task.Run(() => RunAsync(act, run, CancellationToken.None));
            return run;
        }
    }

    private async Task RunAsync(IPlacementActuator act, ApplyRun run, CancellationToken cancellationToken)
    {
        var steps = run.Steps.ToArray();
        var weights = steps.Select(s => Math.Max(1d, s.Change.Bytes ?? 0)).ToArray();
        var total = weights.Sum();
        var failed = 0;
        void Publish(string state, string? error = null) => _latest = run with
        {
            State = state,
            Steps = [.. steps],
            Progress = Math.Round(steps.Select((s, i) => s.Progress * weights[i]).Sum() / total, 4),
            FinishedAt = state == "running" ? null : time.GetUtcNow(),
            Error = error,
        };

        for (var i = 0; i < steps.Length; i++)
        {
            var at = i;
            steps[at] = steps[at] with { Status = "running" };
            Publish("running");
            var progress = new Inline(p =>
            {
                lock (steps)
                {
                    if (steps[at].Status == "running")
                    {
                        steps[at] = steps[at] with { Progress = Math.Clamp(Math.Round(p, 4), 0, 0.99) };
                        Publish("running");
                    }
                }
            });
            try
            {
                await ApplyAsync(act, run.PlanVersion, steps[at].Change, progress, cancellationToken).ConfigureAwait(false);
                lock (steps)
                {
                    steps[at] = steps[at] with { Status = "done", Progress = 1 };
                }

                DataManagerLog.ChangeApplied(logger, steps[at].Change.Id);
            }
#pragma warning disable CA1031 // one change that fails (a copy, a mount) is reported; the others still run
            catch (Exception ex)
#pragma warning restore CA1031
            {
                failed++;
                lock (steps)
                {
                    steps[at] = steps[at] with { Status = "failed", Error = ex.Message };
                }

                DataManagerLog.ChangeFailed(logger, steps[at].Change.Id, ex);
            }

            Publish("running");
        }

        Publish(failed == 0 ? "done" : "failed", failed == 0 ? null : $"{failed} of {steps.Length} changes failed (see each step's error); apply again to retry them");
    }

    private async Task ApplyAsync(IPlacementActuator act, long planVersion, PlacementChange change, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var applied = (await store.ListAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(a => a.Namespace == change.Namespace && a.Name == change.Name);
        var now = applied is not null ? new DatasetCopies(applied.Primary, applied.Replicas) : act.CopiesOf(change.Path) ?? new DatasetCopies(change.From, []);
        DatasetCopies after;
        switch (change.Kind)
        {
            case PlacementChangeKind.MovePrimary:
                if (now.Primary == change.To)
                {
                    return;
                }

                after = new DatasetCopies(change.To, [.. now.Replicas.Where(r => r != change.To), now.Primary]);
                await act.MovePrimaryAsync(change.Path, now.Primary, change.To, after.Replicas, change.Name, progress, cancellationToken).ConfigureAwait(false);
                break;
            case PlacementChangeKind.AddReplica:
                if (now.Primary == change.To || now.Replicas.Contains(change.To))
                {
                    return;
                }

                await act.CopyAsync(now.Primary, change.Path, change.To, change.Name, progress, cancellationToken).ConfigureAwait(false);
                after = now with { Replicas = [.. now.Replicas, change.To] };
                await act.SetMountAsync(change.Path, after.Primary, after.Replicas, cancellationToken).ConfigureAwait(false);
                break;
            case PlacementChangeKind.RetireReplica:
                if (now.Primary == change.To)
                {
                    throw new InvalidOperationException($"{change.To} is still the primary of {change.Namespace}/{change.Name}: apply its primary move first.");
                }

                after = now with { Replicas = [.. now.Replicas.Where(r => r != change.To)] };
                await act.SetMountAsync(change.Path, after.Primary, after.Replicas, cancellationToken).ConfigureAwait(false);
                await act.RetireAsync(change.Path, change.To, change.Name, cancellationToken).ConfigureAwait(false);
                break;
            default:
                throw new InvalidOperationException($"Unknown change kind '{change.Kind}'.");
        }

        await store.SaveAsync(new AppliedDataset(change.Namespace, change.Name, change.Path, after.Primary, after.Replicas, planVersion, time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
    }

    private sealed class Inline(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
