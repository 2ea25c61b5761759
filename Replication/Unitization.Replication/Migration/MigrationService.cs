using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Unitization.Namespaces;
using Unitization.Namespaces.Configuration;
using Unitization.StateStore.Changes;
using Unitization.Replication.Workers;
using Unitization.Throttle.Budget;

namespace Unitization.Replication.Migration;

/// <summary>
/// Migrations as API jobs (<c>POST/GET /api/v1/migrations</c>): each runs in the background at its priority inside the
/// link's budget (its rate a cap inside it), keeps its latest progress and stores it in the state store (on every phase
/// and every <see cref="PersistEvery"/>). Each job is run by one instance, its owner, which renews a lease in the store
/// (<see cref="ReplicationOptions.MigrationLease"/>); every instance that is the namespaces' writer takes over the
/// unfinished jobs nobody owns or whose owner's lease ran out (it died) and resumes them from their checkpoints, and
/// lists the others' progress from the store. A clean stop gives its jobs up at once; an owner that finds its lease
/// taken stops its run. Every stored change is announced on the change feed (<see cref="StateChangeKinds.Migrations"/>):
/// the other instances list it, and the writer takes a new unowned job, at once rather than at their next poll.
/// </summary>
internal sealed class MigrationService(
    MigrationRunner runner,
    MigrationJobStore store,
    INamespaceCatalog namespaces,
    IBandwidthBudget? linkBudget,
    IOptions<ReplicationOptions> options,
    IOptions<TopologyOptions> topology,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<MigrationService> logger,
    IStateChangeFeed? changes = null) : IHostedService, IDisposable
{
    private static readonly TimeSpan PersistEvery = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, MigrationProgress> _jobs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, MigrationSpec> _specs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (Task Run, CancellationTokenSource Lost)> _running = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _persisting = new(1, 1);
    private readonly SemaphoreSlim _takingOver = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly TimeSpan _lease = options.Value.MigrationLease;
    private Task _owning = Task.CompletedTask;
    private IDisposable? _subscription;

    /// <summary>This instance's name as an owner of jobs.</summary>
    public string Owner { get; } = options.Value.InstanceId
        ?? $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>How often the owner renews its leases and looks for jobs to take over: a quarter of the lease, at most a second.</summary>
    private TimeSpan Poll => TimeSpan.FromTicks(Math.Min(_lease.Ticks / 4, TimeSpan.TicksPerSecond));

    public IReadOnlyList<MigrationProgress> List() => _jobs.Values.OrderBy(j => j.Id, StringComparer.Ordinal).ToList();

    public MigrationProgress? Get(string id) => _jobs.GetValueOrDefault(id);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await TakeOverAsync(cancellationToken).ConfigureAwait(false);
        _owning = Task.Run(() => OwnAsync(_stopping.Token), CancellationToken.None);
        _subscription = changes?.Subscribe(StateChangeKinds.Migrations, TakeOverAsync);
    }

    /// <summary>
    /// Waits (within the host's shutdown time) for the running jobs to stop at their checkpoints and store their
    /// progress, then gives them up so another instance resumes them without waiting for the lease.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _owning.ConfigureAwait(false);
            await Task.WhenAll(_running.Values.Select(r => r.Run)).WaitAsync(cancellationToken).ConfigureAwait(false);
            foreach (var id in _specs.Keys.Where(id => _jobs.TryGetValue(id, out var job) && job.Phase is not (MigrationPhase.Done or MigrationPhase.Failed)))
            {
                await store.ReleaseAsync(id, Owner, cancellationToken).ConfigureAwait(false);
            }

            // another writer takes what this one gave up at once
            await AnnounceAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // the host's shutdown time is up: what is checkpointed is kept, the lease runs out, another instance resumes
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
        {
            ReplicationLog.MigrationFailed(logger, "*", "could not give up the migrations on stop (their leases run out instead): " + ex.Message);
        }
    }

    /// <summary>
    /// Starts (or, if it is already running, returns) the job; throws <see cref="KeyNotFoundException"/> for an unknown
    /// datacenter. An instance that is not the namespaces' writer stores it unowned, and the writer takes it within a poll.
    /// </summary>
    public async Task<MigrationProgress> StartAsync(MigrationSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var source = namespaces.Get(spec.Source);
        var target = namespaces.Get(spec.Target);
        if (_running.ContainsKey(spec.Id) && _jobs.TryGetValue(spec.Id, out var existing))
        {
            return existing;
        }

        var initial = new MigrationProgress(
            spec.Id, spec.Source, spec.Path, spec.Target, spec.Priority, spec.BytesPerSecond, MigrationPhase.Listing, CopyProgress.None, 0, null, null, null, time.GetUtcNow());
        var writer = WriterStandby.TryBecomeWriter(namespaces) is null;
        if (!await store.SaveAsync(new MigrationJobStore.Job(spec, initial), writer ? Owner : null, time.GetUtcNow() + _lease, cancellationToken).ConfigureAwait(false))
        {
            // another instance owns and runs it: answer what the store says of it
            await RefreshAsync(cancellationToken).ConfigureAwait(false);
            return _jobs.GetValueOrDefault(spec.Id) ?? initial;
        }

        _jobs[spec.Id] = initial;
        _specs[spec.Id] = spec;
        if (writer)
        {
            Launch(spec, source, target);
        }

        await AnnounceAsync(cancellationToken).ConfigureAwait(false);
        return initial;
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _stopping.Dispose();
        _persisting.Dispose();
        _takingOver.Dispose();
    }

    /// <summary>Every <see cref="Poll"/>: renews this instance's leases (stopping a run whose lease was taken), then takes over what needs an owner.</summary>
    private async Task OwnAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Poll, time, cancellationToken).ConfigureAwait(false);
                foreach (var (id, run) in _running)
                {
                    var now = time.GetUtcNow();
                    if (!await store.ClaimAsync(id, Owner, now, now + _lease, cancellationToken).ConfigureAwait(false))
                    {
                        ReplicationLog.MigrationFailed(logger, id, "its lease was taken by another instance; stopping here (the new owner resumes it)");
                        await StopRunAsync(run.Lost).ConfigureAwait(false);
                    }
                }

                await TakeOverAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or IOException)
            {
                // the store is unreachable for now: leases are renewed and jobs taken over at the next poll
                ReplicationLog.MigrationFailed(logger, "*", "could not renew or take over migrations: " + ex.Message);
            }
        }
    }

    /// <summary>Lists the stored jobs; as the namespaces' writer, takes over the unfinished ones without a live owner and resumes them.</summary>
    private async Task TakeOverAsync(CancellationToken cancellationToken)
    {
        // the poll and a notice may ask at once: one pass at a time, so no job is launched twice
        await _takingOver.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await TakeOverOnceAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _takingOver.Release();
        }
    }

    private async Task TakeOverOnceAsync(CancellationToken cancellationToken)
    {
        var stored = await RefreshAsync(cancellationToken).ConfigureAwait(false);
        if (lifetime.ApplicationStopping.IsCancellationRequested || WriterStandby.TryBecomeWriter(namespaces) is not null)
        {
            return;
        }

        var now = time.GetUtcNow();
        foreach (var (job, owner, until) in stored)
        {
            var id = job.Spec.Id;
            if (job.Progress.Phase is MigrationPhase.Done or MigrationPhase.Failed || _running.ContainsKey(id)
                || (owner is not null && owner != Owner && until is { } lease && lease >= now)
                || !await store.ClaimAsync(id, Owner, now, now + _lease, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            _jobs[id] = job.Progress;
            _specs[id] = job.Spec;
            if (owner is not null && owner != Owner)
            {
                ReplicationLog.MigrationTakenOver(logger, id, Owner, owner, until ?? now);
            }
            else
            {
                ReplicationLog.MigrationPhase(logger, id, $"resuming ({job.Progress.Phase} when it stopped)");
            }

            try
            {
                Launch(job.Spec, namespaces.Get(job.Spec.Source), namespaces.Get(job.Spec.Target));
            }
            catch (KeyNotFoundException ex)
            {
                await FailAsync(id, ex.Message).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Reads every stored job; the ones not running here take their progress from the store.</summary>
    private async Task<IReadOnlyList<MigrationJobStore.Owned>> RefreshAsync(CancellationToken cancellationToken)
    {
        var stored = await store.ListOwnedAsync((id, error) => ReplicationLog.MigrationFailed(logger, id, "stored job unreadable: " + error), cancellationToken).ConfigureAwait(false);
        foreach (var (job, _, _) in stored.Where(o => !_running.ContainsKey(o.Job.Spec.Id)))
        {
            _jobs[job.Spec.Id] = job.Progress;
        }

        return stored;
    }

    /// <summary>Waits until the job stops running (done, failed, or stopped with the host), reporting its progress every <paramref name="every"/>.</summary>
    public async Task<MigrationProgress?> WaitAsync(string id, IProgress<MigrationProgress>? progress, TimeSpan every, CancellationToken cancellationToken)
    {
        while (_running.TryGetValue(id, out var running))
        {
            await Task.WhenAny(running.Run, Task.Delay(every, time, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (Get(id) is { } now)
            {
                progress?.Report(now);
            }
        }

        return Get(id);
    }

    private void Launch(MigrationSpec spec, INamespace source, INamespace target)
    {
        var run = new TaskCompletionSource();
        var lost = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping);
        if (!_running.TryAdd(spec.Id, (run.Task, lost)))
        {
            lost.Dispose();
            return;
        }

        _specs[spec.Id] = spec;
        _ = Task.Run(
            async () =>
            {
                try
                {
                    await RunAsync(spec, source, target, lost.Token).ConfigureAwait(false);
                }
                finally
                {
                    _running.TryRemove(spec.Id, out _);
                    lost.Dispose();
                    run.TrySetResult();
                }
            },
            CancellationToken.None);
    }

    private async Task RunAsync(MigrationSpec spec, INamespace source, INamespace target, CancellationToken cancellationToken)
    {
        var persistedPhase = MigrationPhase.Listing;
        var persistedAt = time.GetTimestamp();
        var progress = new SyncProgress<MigrationProgress>(p =>
        {
            _jobs[spec.Id] = p;
            if (p.Phase != persistedPhase || time.GetElapsedTime(persistedAt) >= PersistEvery)
            {
                persistedPhase = p.Phase;
                persistedAt = time.GetTimestamp();
                _ = PersistQuietlyAsync(spec.Id);
            }
        });
        try
        {
            var result = await runner.RunAsync(
                spec,
                source,
                target,
                topology.Value.ResolvePath("migrations"),
                options.Value.WorkRoot,
                MigrationRunner.BudgetFor(spec, linkBudget, time),
                progress,
                cancellationToken).ConfigureAwait(false);
            _jobs[spec.Id] = result;
            await PersistQuietlyAsync(spec.Id).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // stopping, or the lease was taken: the job stays unfinished in the store and its owner resumes it
        }
        catch (Exception ex)
        {
            await FailAsync(spec.Id, ex.Message).ConfigureAwait(false);
        }
    }

    private async Task FailAsync(string id, string error)
    {
        ReplicationLog.MigrationFailed(logger, id, error);
        if (_jobs.TryGetValue(id, out var job))
        {
            _jobs[id] = job with { Phase = MigrationPhase.Failed, Error = error, UpdatedAt = time.GetUtcNow() };
            await PersistQuietlyAsync(id).ConfigureAwait(false);
        }
    }

    /// <summary>Stores the job's latest progress as its owner; one write at a time, each with whatever is latest when it runs.</summary>
    private async Task PersistAsync(string id, CancellationToken cancellationToken)
    {
        await _persisting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!await store.SaveAsync(new MigrationJobStore.Job(_specs[id], _jobs[id]), Owner, time.GetUtcNow() + _lease, cancellationToken).ConfigureAwait(false)
                && _running.TryGetValue(id, out var run))
            {
                // another instance took the job over: this run writes nothing more and stops
                await StopRunAsync(run.Lost).ConfigureAwait(false);
                return;
            }
        }
        finally
        {
            _persisting.Release();
        }

        await AnnounceAsync(cancellationToken).ConfigureAwait(false);
    }

    private Task AnnounceAsync(CancellationToken cancellationToken) =>
        changes is null ? Task.CompletedTask : changes.PublishAsync(StateChangeKinds.Migrations, cancellationToken);

    private static async Task StopRunAsync(CancellationTokenSource lost)
    {
        try
        {
            await lost.CancelAsync().ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // the run ended meanwhile
        }
    }

    private async Task PersistQuietlyAsync(string id)
    {
        try
        {
            await PersistAsync(id, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or IOException or ObjectDisposedException)
        {
            ReplicationLog.MigrationFailed(logger, id, "could not store its progress: " + ex.Message);
        }
    }
}
