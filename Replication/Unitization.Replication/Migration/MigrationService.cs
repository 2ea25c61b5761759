using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Unitization.Namespaces;
using Unitization.Namespaces.Configuration;
using Unitization.Throttle.Budget;

namespace Unitization.Replication.Migration;

/// <summary>Migrations as API jobs (<c>POST/GET /api/v1/migrations</c>): each runs in the background and keeps its latest progress.</summary>
internal sealed class MigrationService(
    MigrationRunner runner,
    INamespaceCatalog namespaces,
    IBandwidthBudget? linkBudget,
    IOptions<ReplicationOptions> options,
    IOptions<TopologyOptions> topology,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<MigrationService> logger)
{
    private readonly ConcurrentDictionary<string, MigrationProgress> _jobs = new(StringComparer.Ordinal);

    public IReadOnlyList<MigrationProgress> List() => _jobs.Values.OrderBy(j => j.Id, StringComparer.Ordinal).ToList();

    public MigrationProgress? Get(string id) => _jobs.GetValueOrDefault(id);

    /// <summary>Starts (or, if it is already running, returns) the job; throws <see cref="KeyNotFoundException"/> for an unknown datacenter.</summary>
    public MigrationProgress Start(MigrationSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var source = namespaces.Get(spec.Source);
        var target = namespaces.Get(spec.Target);
        var initial = new MigrationProgress(spec.Id, spec.Source, spec.Path, spec.Target, MigrationPhase.Listing, 0, 0, 0, 0, 0, null, null, time.GetUtcNow());
        if (_jobs.TryGetValue(spec.Id, out var existing) && existing.Phase is not (MigrationPhase.Done or MigrationPhase.Failed))
        {
            return existing;
        }

        _jobs[spec.Id] = initial;
        _ = Task.Run(() => RunAsync(spec, source, target), lifetime.ApplicationStopping);
        return initial;
    }

    private async Task RunAsync(MigrationSpec spec, INamespace source, INamespace target)
    {
        using var rate = spec.BytesPerSecond is { } bps ? new RateBudget(bps) : null;
        var progress = new SyncProgress<MigrationProgress>(p => _jobs[spec.Id] = p with { UpdatedAt = time.GetUtcNow() });
        try
        {
            await runner.RunAsync(
                spec,
                source,
                target,
                topology.Value.ResolvePath("migrations"),
                options.Value.WorkRoot,
                (IBandwidthBudget?)rate ?? linkBudget,
                progress,
                lifetime.ApplicationStopping).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            ReplicationLog.MigrationFailed(logger, spec.Id, ex.Message);
            _jobs[spec.Id] = _jobs[spec.Id] with { Phase = MigrationPhase.Failed, Error = ex.Message, UpdatedAt = time.GetUtcNow() };
        }
    }
}
