using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Unitization.Namespaces;
using Unitization.Namespaces.Configuration;
using Unitization.Throttle.Budget;

namespace Unitization.Replication.Migration;

/// <summary>
/// Migrations as API jobs (<c>POST/GET /api/v1/migrations</c>): each runs in the background at its priority inside the
/// link's budget (its rate a cap inside it), keeps its latest progress and stores it in the state store (on every phase
/// and every <see cref="PersistEvery"/>). At start the stored jobs are listed again and the unfinished ones resume
/// from their checkpoints; a stop leaves them unfinished, to resume on the next start.
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
    ILogger<MigrationService> logger) : IHostedService
{
    private static readonly TimeSpan PersistEvery = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, MigrationProgress> _jobs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, MigrationSpec> _specs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task> _running = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _persisting = new(1, 1);

    public IReadOnlyList<MigrationProgress> List() => _jobs.Values.OrderBy(j => j.Id, StringComparer.Ordinal).ToList();

    public MigrationProgress? Get(string id) => _jobs.GetValueOrDefault(id);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var stored = await store.ListAsync((id, error) => ReplicationLog.MigrationFailed(logger, id, "stored job unreadable: " + error), cancellationToken).ConfigureAwait(false);
        foreach (var job in stored)
        {
            _jobs[job.Spec.Id] = job.Progress;
            _specs[job.Spec.Id] = job.Spec;
        }

        foreach (var job in stored.Where(j => j.Progress.Phase is not (MigrationPhase.Done or MigrationPhase.Failed)))
        {
            ReplicationLog.MigrationPhase(logger, job.Spec.Id, $"resuming after a restart ({job.Progress.Phase} when it stopped)");
            try
            {
                Launch(job.Spec, namespaces.Get(job.Spec.Source), namespaces.Get(job.Spec.Target));
            }
            catch (KeyNotFoundException ex)
            {
                await FailAsync(job.Spec.Id, ex.Message).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Waits (within the host's shutdown time) for the running jobs to stop at their checkpoints and store their progress.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(_running.Values).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // the host's shutdown time is up: what is checkpointed is kept, the rest is copied again on the next start
        }
    }

    /// <summary>Starts (or, if it is already running, returns) the job; throws <see cref="KeyNotFoundException"/> for an unknown datacenter.</summary>
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
        _jobs[spec.Id] = initial;
        _specs[spec.Id] = spec;
        await PersistAsync(spec.Id, cancellationToken).ConfigureAwait(false);
        Launch(spec, source, target);
        return initial;
    }

    private void Launch(MigrationSpec spec, INamespace source, INamespace target)
    {
        var run = new TaskCompletionSource();
        if (!_running.TryAdd(spec.Id, run.Task))
        {
            return;
        }

        _ = Task.Run(
            async () =>
            {
                try
                {
                    await RunAsync(spec, source, target).ConfigureAwait(false);
                }
                finally
                {
                    _running.TryRemove(spec.Id, out _);
                    run.TrySetResult();
                }
            },
            CancellationToken.None);
    }

    private async Task RunAsync(MigrationSpec spec, INamespace source, INamespace target)
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
                lifetime.ApplicationStopping).ConfigureAwait(false);
            _jobs[spec.Id] = result;
            await PersistQuietlyAsync(spec.Id).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // stopping: the job stays unfinished in the store and resumes on the next start
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

    /// <summary>Stores the job's latest progress; one write at a time, each with whatever is latest when it runs.</summary>
    private async Task PersistAsync(string id, CancellationToken cancellationToken)
    {
        await _persisting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await store.SaveAsync(new MigrationJobStore.Job(_specs[id], _jobs[id]), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _persisting.Release();
        }
    }

    private async Task PersistQuietlyAsync(string id)
    {
        try
        {
            await PersistAsync(id, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or IOException)
        {
            ReplicationLog.MigrationFailed(logger, id, "could not store its progress: " + ex.Message);
        }
    }
}
