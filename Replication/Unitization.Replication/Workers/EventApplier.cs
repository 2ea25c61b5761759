using Microsoft.Extensions.Options;
using Unitization.Namespaces;
using Unitization.Replication.Copy;
using Unitization.Replication.Events;
using Unitization.Replication.Lifecycle;
using Unitization.Replication.Locations;
using Unitization.Replication.Rules;
using Unitization.Replication.Telemetry;

namespace Unitization.Replication.Workers;

/// <summary>Applies one event: its rule's targets each get the planned copies (staged, verified, atomic) or deletions.</summary>
internal sealed class EventApplier(
    RuleBook rules,
    EventPlanner planner,
    ReplicaCopier copier,
    ReplicaRegistry registry,
    ReplicaLifecycle lifecycle,
    INamespaceCatalog namespaces,
    IOptions<ReplicationOptions> options,
    TimeProvider time,
    ReplicationMetrics? metrics = null,
    ITableLocationStore? locations = null) : IEventApplier
{
    public Task<int> ApplyAsync(HmsEventEnvelope envelope, CancellationToken cancellationToken) => ApplyAsync(envelope, null, cancellationToken);

    /// <param name="envelope">The event.</param>
    /// <param name="publishedAt">When the pump published the event (the Kafka record's time): the replication lag is measured from it.</param>
    /// <param name="cancellationToken">Stops the copies.</param>
    public async Task<int> ApplyAsync(HmsEventEnvelope envelope, DateTimeOffset? publishedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (envelope.DbName is null || envelope.TableName is null)
        {
            return 0;
        }

        // every table's location, replicated or not: placement maps datasets to paths by it
        if (locations is not null && await EventPlanner.ReportedLocationAsync(envelope, cancellationToken).ConfigureAwait(false) is { } reported)
        {
            await locations.RecordAsync(reported.Db, reported.Table, reported.Path, cancellationToken).ConfigureAwait(false);
        }

        var rule = await rules.FindAsync(envelope.DbName, envelope.TableName, cancellationToken).ConfigureAwait(false);
        if (rule is null)
        {
            return 0;
        }

        var actions = await planner.PlanAsync(envelope, cancellationToken).ConfigureAwait(false);
        var source = namespaces.Get(rule.Primary);
        var applied = 0;
        foreach (var target in rule.Targets.Where(t => t != rule.Primary).Select(namespaces.Get))
        {
            foreach (var action in actions)
            {
                if (action.Kind == ReplicaActionKind.Delete)
                {
                    await copier.DeleteReplicaAsync(target, action.Path, StagingFolder(options.Value), cancellationToken).ConfigureAwait(false);
                    await lifecycle.DroppedAsync(target.Name, action.Path, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    var request = new CopyRequest(source, target, action.Path, rule.DatasetName, RuleBook.PriorityOf(rule), StagingFolder(options.Value));
                    var outcome = await copier.ReplicateAsync(request, options.Value.CopyParallelism, cancellationToken).ConfigureAwait(false);
                    if (outcome.Result is CopyResult.Copied or CopyResult.AlreadyFresh)
                    {
                        var now = time.GetUtcNow();
                        await registry.TrackAsync(target.Name, action.Path, rule.DatasetName, outcome.Result == CopyResult.Copied ? now : null, now, cancellationToken).ConfigureAwait(false);
                        if (publishedAt is { } published)
                        {
                            metrics?.Committed(source.Name, target.Name, now - published);
                        }
                    }
                }

                applied++;
            }
        }

        return applied;
    }

    public static string StagingFolder(ReplicationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return $"{options.WorkRoot.TrimEnd('/')}/staging/{options.WorkerId}";
    }
}
