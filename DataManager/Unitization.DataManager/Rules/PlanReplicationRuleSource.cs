using Unitization.DataManager.Service;

namespace Unitization.DataManager.Rules;

/// <summary>
/// The rules of the plan in force: one per dataset with replicas (targets = the replica datacenters). The priority
/// comes from the readers: the highest <c>DataManager:ReaderPriorities</c> priority (0 Low, 1 Normal, 2 High; else
/// <c>DefaultReaderPriority</c>) among the jobs that read the dataset in one of its replica datacenters, so a
/// replica only batch jobs read is copied at Low and one a production namespace reads at High.
/// </summary>
internal sealed class PlanReplicationRuleSource(PlanService plans) : IReplicationRuleSource
{
    public async Task<IReadOnlyList<ReplicationRule>> GetRulesAsync(CancellationToken cancellationToken)
    {
        var index = await plans.CurrentAsync(cancellationToken).ConfigureAwait(false);
        if (index is null)
        {
            return [];
        }

        var options = plans.Options;
        var fallback = ReaderPriority.Parse(options.DefaultReaderPriority);
        var priority = new Dictionary<Lineage.DatasetRef, int>();
        foreach (var (job, inputs) in index.Inputs)
        {
            if (!index.Jobs.TryGetValue(job, out var dc))
            {
                continue;
            }

            var reader = options.ReaderPriorities.FirstOrDefault(p => p.Matches(job.Namespace)) is { } match ? ReaderPriority.Parse(match.Priority) : fallback;
            foreach (var input in inputs)
            {
                if (index.Datasets.TryGetValue(input, out var planned) && planned.Replicas.Contains(dc))
                {
                    priority[input] = Math.Max(priority.GetValueOrDefault(input, 0), reader);
                }
            }
        }

        return index.Plan.Datasets
            .Where(d => d.Replicas.Count > 0)
            .Select(d => new ReplicationRule(d.Namespace, d.Name, d.Primary, d.Replicas, priority.GetValueOrDefault(new Lineage.DatasetRef(d.Namespace, d.Name), fallback), (long)d.DailyBytes))
            .ToList();
    }
}
