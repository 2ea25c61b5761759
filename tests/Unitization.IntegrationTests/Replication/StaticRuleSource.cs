using Unitization.DataManager.Rules;

namespace Unitization.IntegrationTests.Replication;

/// <summary>Rules as DataManager would derive them, fixed for a test.</summary>
internal sealed class StaticRuleSource(params ReplicationRule[] rules) : IReplicationRuleSource
{
    public Task<IReadOnlyList<ReplicationRule>> GetRulesAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<ReplicationRule>>(rules);
}
