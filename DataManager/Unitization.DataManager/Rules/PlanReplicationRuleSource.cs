using Unitization.DataManager.Service;

namespace Unitization.DataManager.Rules;

/// <summary>
/// The rules of the plan in force: one per dataset with replicas (targets = the replica datacenters). Priority 1..10
/// grows with the dataset's daily bytes (<c>1 + floor(log10(bytes) / 2)</c>): the big tables feed most reads.
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

        return index.Plan.Datasets
            .Where(d => d.Replicas.Count > 0)
            .Select(d => new ReplicationRule(d.Namespace, d.Name, d.Primary, d.Replicas, Priority(d.DailyBytes), (long)d.DailyBytes))
            .ToList();
    }

    internal static int Priority(double dailyBytes) => Math.Clamp(1 + (int)Math.Floor(Math.Log10(Math.Max(1, dailyBytes)) / 2), 1, 10);
}
