using Unitization.DataManager.Rules;

namespace Unitization.Benchmarks.Bench.Replication;

/// <summary>The rules a benchmark runs under, fixed for its run (DataManager's plan is not what it measures).</summary>
internal sealed class FixedRuleSource(params ReplicationRule[] rules) : IReplicationRuleSource
{
    public Task<IReadOnlyList<ReplicationRule>> GetRulesAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<ReplicationRule>>(rules);
}
