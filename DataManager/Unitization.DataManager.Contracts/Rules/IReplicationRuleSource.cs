namespace Unitization.DataManager.Rules;

/// <summary>The replication rules derived from the current placement plan (what Replication consumes).</summary>
public interface IReplicationRuleSource
{
    Task<IReadOnlyList<ReplicationRule>> GetRulesAsync(CancellationToken cancellationToken);
}
