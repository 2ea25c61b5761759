using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Unitization.DataManager.Rules;
using Unitization.Namespaces;
using Unitization.Replication.Copy;
using Unitization.Replication.Rules;

namespace Unitization.Replication.Lifecycle;

/// <summary>
/// One sweep over the published replicas (run by <see cref="ReplicaLifecycleJob"/> every <c>LifecycleInterval</c>):
/// a replica whose TTL (its pinned rule's <c>Ttl</c>, else <c>ReplicaTtl</c>) passed since its last commit is retired;
/// a replica whose dataset no longer names its datacenter in the rules becomes expiring and is retired once
/// <c>RetireGracePeriod</c> has passed, unless the rule comes back first (then it is active again). Retiring removes
/// the commit records first (the router then treats the path as stale), then moves the replica out of sight with one
/// rename and deletes it. Every change is logged (3020) and kept in the lifecycle's history.
/// </summary>
internal sealed class ReplicaLifecycle(
    RuleBook rules,
    ReplicaRegistry registry,
    ReplicaCopier copier,
    INamespaceCatalog namespaces,
    IOptions<ReplicationOptions> options,
    TimeProvider time,
    ILogger<ReplicaLifecycle> logger)
{
    /// <summary>Retired replicas pass through here; what a crash leaves is removed by the next sweep.</summary>
    public string TrashFolder => $"{options.Value.WorkRoot.TrimEnd('/')}/lifecycle";

    public async Task<LifecycleSweep> SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // rules that never loaded throw here: nothing is retired on the strength of an empty rule book
        var current = await rules.GetAsync(cancellationToken).ConfigureAwait(false);
        await CleanTrashAsync(cancellationToken).ConfigureAwait(false);
        var sweep = new LifecycleSweep();
        foreach (var replica in await registry.ListAsync(null, null, cancellationToken).ConfigureAwait(false))
        {
            if (replica.State == ReplicaState.Retired || !namespaces.Datacenters.Contains(replica.Datacenter, StringComparer.Ordinal))
            {
                continue;
            }

            try
            {
                await SweepOneAsync(replica, current, now, sweep, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // one replica that cannot be swept (a namespace error, a path it refuses) never stops the sweep of the others
            catch (Exception ex)
#pragma warning restore CA1031
            {
                sweep.Failed++;
                ReplicationLog.LifecycleFailed(logger, ex, replica.Path, replica.Datacenter);
            }
        }

        return sweep;
    }

    /// <summary>A replica as the API shows it: with when its TTL or its grace period ends.</summary>
    public ReplicaRecord Describe(ReplicaRecord replica, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(replica);
        if (replica.State == ReplicaState.Retired)
        {
            return replica;
        }

        var ttl = TtlOf(replica.Dataset);
        return replica with
        {
            ExpiresAt = ttl > TimeSpan.Zero ? replica.CommittedAt + ttl : null,
            RetireAt = replica.State == ReplicaState.Expiring ? (replica.UnruledSince ?? now) + options.Value.RetireGracePeriod : null,
        };
    }

    /// <summary>A replica that the workers deleted because its table or partition was dropped in HMS.</summary>
    public async Task DroppedAsync(string datacenter, string path, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await registry.MarkRetiredAsync(datacenter, path, now, "dropped in the metastore", cancellationToken).ConfigureAwait(false);
        await registry.AppendHistoryAsync("dropped", datacenter, path, "dropped in the metastore", now, cancellationToken).ConfigureAwait(false);
    }

    private async Task SweepOneAsync(ReplicaRecord replica, IReadOnlyDictionary<string, ReplicationRule> current, DateTimeOffset now, LifecycleSweep sweep, CancellationToken cancellationToken)
    {
        var described = Describe(replica, now);
        if (described.ExpiresAt is { } expires && now >= expires)
        {
            await RetireAsync(replica, "expired", $"TTL {TtlOf(replica.Dataset)} passed since its last commit at {replica.CommittedAt:O}", now, cancellationToken).ConfigureAwait(false);
            sweep.Expired++;
            return;
        }

        if (IsRuled(current.GetValueOrDefault(replica.Dataset), replica.Datacenter))
        {
            if (replica.State == ReplicaState.Expiring)
            {
                await registry.MarkActiveAsync(replica.Datacenter, replica.Path, cancellationToken).ConfigureAwait(false);
                await LogAsync("kept", replica, $"{replica.Dataset} is back in the replication rules for {replica.Datacenter}", now, cancellationToken).ConfigureAwait(false);
                sweep.Kept++;
            }

            return;
        }

        var since = replica.UnruledSince ?? now;
        if (replica.State != ReplicaState.Expiring)
        {
            await registry.MarkExpiringAsync(replica.Datacenter, replica.Path, since, cancellationToken).ConfigureAwait(false);
            await LogAsync("expiring", replica, $"{replica.Dataset} is no longer in the replication rules for {replica.Datacenter}; retired at {since + options.Value.RetireGracePeriod:O} unless it comes back", now, cancellationToken).ConfigureAwait(false);
            sweep.Expiring++;
        }

        if (now >= since + options.Value.RetireGracePeriod)
        {
            await RetireAsync(replica, "retired", $"{replica.Dataset} not in the replication rules for {replica.Datacenter} since {since:O} (grace period {options.Value.RetireGracePeriod})", now, cancellationToken).ConfigureAwait(false);
            sweep.Retired++;
        }
    }

    private TimeSpan TtlOf(string dataset) =>
        options.Value.PinnedRules.LastOrDefault(p => string.Equals(p.DatasetName, dataset, StringComparison.OrdinalIgnoreCase))?.Ttl
        ?? options.Value.ReplicaTtl;

    private static bool IsRuled(ReplicationRule? rule, string datacenter) =>
        rule is not null && rule.Primary != datacenter && rule.Targets.Contains(datacenter, StringComparer.Ordinal);

    private async Task RetireAsync(ReplicaRecord replica, string action, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await copier.DeleteReplicaAsync(namespaces.Get(replica.Datacenter), replica.Path, TrashFolder, cancellationToken).ConfigureAwait(false);
        await registry.MarkRetiredAsync(replica.Datacenter, replica.Path, now, reason, cancellationToken).ConfigureAwait(false);
        await LogAsync(action, replica, reason, now, cancellationToken).ConfigureAwait(false);
    }

    private async Task LogAsync(string action, ReplicaRecord replica, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await registry.AppendHistoryAsync(action, replica.Datacenter, replica.Path, reason, now, cancellationToken).ConfigureAwait(false);
        ReplicationLog.Lifecycle(logger, action, replica.Path, replica.Datacenter, reason);
    }

    private async Task CleanTrashAsync(CancellationToken cancellationToken)
    {
        foreach (var dc in namespaces.Datacenters.Where(dc => !namespaces.Follows(dc))) // a followed primary is written elsewhere
        {
            await namespaces.Get(dc).DeleteAsync(TrashFolder, recursive: true, cancellationToken).ConfigureAwait(false);
        }
    }
}
