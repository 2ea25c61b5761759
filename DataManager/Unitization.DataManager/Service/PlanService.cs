using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Unitization.DataManager.Hosting;
using Unitization.DataManager.Lineage;
using Unitization.DataManager.Placement;
using Unitization.DataManager.Plans;
using Unitization.DataManager.Readiness;
using Unitization.DataManager.Store;
using Unitization.DataManager.Telemetry;
using Unitization.StateStore.Changes;

namespace Unitization.DataManager.Service;

/// <summary>
/// The service side of placement: stores lineage as it arrives, refreshes the plan from the stored window (one
/// refresh at a time; each a new version starting from the one in force, so at most MaxMoves jobs move), and keeps
/// the newest plan indexed for the scheduler API. A plan saved here is announced on the state store's change feed
/// (<see cref="StateChangeKinds.Plan"/>); every other instance then loads it from the store (<see cref="PlanReloader"/>).
/// </summary>
internal sealed class PlanService(
    ILineageStore lineageStore,
    IPlanStore planStore,
    IOptions<DataManagerOptions> options,
    TimeProvider time,
    FreshnessSignal signal,
    ILogger<PlanService> logger,
    DataManagerMetrics? metrics = null,
    IStateChangeFeed? changes = null)
{
    private readonly SemaphoreSlim _refreshGate = new(1, 1);
    private readonly SemaphoreSlim _loadGate = new(1, 1);
    private readonly Lock _startLock = new();
    private volatile PlanIndex? _index;
    private volatile bool _loaded;
    private volatile RefreshStatus _status = new("idle", string.Empty, 0, null, null, null, null);

    public RefreshStatus Status => _status;

    /// <summary>Raised with the version of every plan a refresh stores (after it is in force).</summary>
    public event Action<long>? Published;

    public DataManagerOptions Options => options.Value;

    /// <summary>The newest plan, indexed (loaded from the store on first use); null before the first refresh.</summary>
    public async Task<PlanIndex?> CurrentAsync(CancellationToken cancellationToken)
    {
        if (_loaded)
        {
            return _index;
        }

        await _loadGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_loaded)
            {
                var plan = await planStore.GetAsync(null, cancellationToken).ConfigureAwait(false);
                if (plan is not null && _index is null)
                {
                    var lineage = await lineageStore.LoadAsync(options.Value.WindowDays, cancellationToken).ConfigureAwait(false);
                    _index = new PlanIndex(plan, lineage);
                }

                _loaded = true;
            }

            return _index;
        }
        finally
        {
            _loadGate.Release();
        }
    }

    public Task<PlacementPlan?> GetPlanAsync(long version, CancellationToken cancellationToken) => planStore.GetAsync(version, cancellationToken);

    /// <summary>Loads the newest stored plan when it is newer than the one in use (another instance saved it).</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await _loadGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var plan = await planStore.GetAsync(null, cancellationToken).ConfigureAwait(false);
            if (plan is null || (_index is { } current && current.Plan.Version >= plan.Version))
            {
                return;
            }

            var lineage = await lineageStore.LoadAsync(options.Value.WindowDays, cancellationToken).ConfigureAwait(false);
            _index = new PlanIndex(plan, lineage);
            _loaded = true;
            signal.Notify();
            DataManagerLog.PlanReloaded(logger, plan.Version);
        }
        finally
        {
            _loadGate.Release();
        }

        // the rules this instance serves changed with it (replicators asking it over HTTP reload them)
        await AnnounceRulesAsync(cancellationToken).ConfigureAwait(false);
    }

    private Task AnnounceRulesAsync(CancellationToken cancellationToken) =>
        changes is null ? Task.CompletedTask : changes.PublishAsync(StateChangeKinds.Rules, cancellationToken);

    /// <summary>
    /// Parses and stores RunEvents, JobEvents (static lineage) and DatasetEvents; malformed ones are reported by index
    /// and field and skipped. A RunEvent whose (runId, eventType) was stored before is a re-send: it is accepted and
    /// counted as a duplicate, and adds nothing (the check and the write are one transaction; a concurrent re-send that
    /// wins makes this one read the keys again).
    /// </summary>
    public async Task<LineageReadResult> IngestAsync(IReadOnlyList<JsonElement> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        var parsed = new List<LineageEvent>(events.Count);
        var errors = new List<string>();
        var skipped = 0;
        for (var i = 0; i < events.Count; i++)
        {
            if (LineageParser.TryParse(events[i], out var lineageEvent, out var error))
            {
                parsed.Add(lineageEvent!);
                continue;
            }

            skipped++;
            if (errors.Count < LineageReadResult.MaxErrors)
            {
                errors.Add(events.Count == 1 ? error! : $"event {i}: {error}");
            }
        }

        var announced = parsed.Where(e => e.IsDatasetEvent).SelectMany(e => e.Outputs).Select(o => o.Dataset).Distinct().ToList();
        if (announced.Count > 0)
        {
            await lineageStore.AnnounceDatasetsAsync(announced, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }

        var duplicates = 0;
        for (var attempt = 1; ; attempt++)
        {
            var keys = parsed.Where(e => e.RunId is not null).Select(RunKey).Distinct(StringComparer.Ordinal).ToList();
            var seen = await lineageStore.SeenRunsAsync(keys, cancellationToken).ConfigureAwait(false);
            var accumulator = new LineageAccumulator();
            var fresh = new HashSet<string>(StringComparer.Ordinal);
            duplicates = 0;
            foreach (var e in parsed.Where(e => !e.IsDatasetEvent))
            {
                if (e.RunId is not null && (seen.Contains(RunKey(e)) || !fresh.Add(RunKey(e))))
                {
                    duplicates++;
                    continue;
                }

                accumulator.Add(e);
            }

            if (accumulator.Events == 0 || await lineageStore.AppendAsync(accumulator, fresh, time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
            {
                break;
            }

            if (attempt == 5)
            {
                throw new InvalidOperationException("Lineage was not stored: concurrent posts of the same runs collided 5 times in a row; post again.");
            }
        }

        var accepted = parsed.Count;
        DataManagerLog.LineageReceived(logger, accepted, skipped);
        return new LineageReadResult(accepted, skipped, errors) { Duplicates = duplicates };
    }

    private static string RunKey(LineageEvent e) => e.RunId + "|" + e.EventType;

    /// <summary>Starts a refresh in the background unless one is running; returns the task of the one running.</summary>
    public Task<long?> StartRefresh()
    {
        lock (_startLock)
        {
            if (_running is { IsCompleted: false })
            {
                return _running;
            }

            _status = _status with { State = "running", Phase = "queued", Progress = 0, StartedAt = time.GetUtcNow(), FinishedAt = null, Error = null };
            _running = Task.Run(() => RefreshAsync(CancellationToken.None));
            return _running;
        }
    }

    private Task<long?>? _running;

    /// <summary>Computes, stores and publishes a new plan version from the stored lineage; null when there is no lineage.</summary>
    public async Task<long?> RefreshAsync(CancellationToken cancellationToken)
    {
        await _refreshGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        var started = time.GetTimestamp();
        var outcome = "failed";
        try
        {
            var o = options.Value;
            _status = new RefreshStatus("running", "loading lineage", 0.02, _index?.Plan.Version, time.GetUtcNow(), null, null);
            var lineage = await lineageStore.LoadAsync(o.WindowDays, cancellationToken).ConfigureAwait(false);
            if (lineage.Jobs.Length == 0)
            {
                DataManagerLog.NoLineage(logger);
                _status = _status with { State = "idle", Phase = "no lineage stored yet (POST /api/v1/lineage)", Progress = 1, FinishedAt = time.GetUtcNow() };
                outcome = "no-lineage";
                return null;
            }

            var current = await CurrentAsync(cancellationToken).ConfigureAwait(false);
            var progress = new Inline(p => _status = _status with { Phase = p.Phase, Progress = Math.Round(0.05 + (p.Fraction * 0.9), 3) });
            var plan = await Task.Run(() => PlanComputation.Compute(lineage, o.Settings(), current?.Plan, time, progress, cancellationToken), cancellationToken)
                .ConfigureAwait(false);
            _status = _status with { Phase = "storing", Progress = 0.97 };
            var version = await planStore.SaveAsync(plan, cancellationToken).ConfigureAwait(false);
            _index = new PlanIndex(plan, lineage);
            _loaded = true;
            signal.Notify();
            if (changes is not null)
            {
                await changes.PublishAsync(StateChangeKinds.Plan, cancellationToken).ConfigureAwait(false);
            }

            await AnnounceRulesAsync(cancellationToken).ConfigureAwait(false);

            DataManagerLog.PlanComputed(logger, version, plan.Jobs.Count, plan.Datasets.Count, plan.Summary.CrossDcBytesPerDay, plan.Moves.Count, plan.Summary.Seconds);
            _status = new RefreshStatus("idle", "done", 1, version, _status.StartedAt, time.GetUtcNow(), null);
            outcome = "planned";
            Published?.Invoke(version);
            return version;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            DataManagerLog.RefreshFailed(logger, ex);
            _status = _status with { State = "failed", Error = ex.Message, FinishedAt = time.GetUtcNow() };
            throw;
        }
        finally
        {
            metrics?.Refreshed(time.GetElapsedTime(started), outcome);
            _refreshGate.Release();
        }
    }

    private sealed class Inline(Action<PlacementProgress> report) : IProgress<PlacementProgress>
    {
        public void Report(PlacementProgress value) => report(value);
    }
}
