namespace Unitization.Replication.Lifecycle;

/// <summary>Where a replica is in its lifecycle.</summary>
public enum ReplicaState
{
    /// <summary>Its dataset is in the rules for this datacenter; with a TTL it expires at <see cref="ReplicaRecord.ExpiresAt"/>.</summary>
    Active,

    /// <summary>Its dataset left the rules; it is retired at <see cref="ReplicaRecord.RetireAt"/> unless the rule comes back first.</summary>
    Expiring,

    /// <summary>Deleted (TTL passed, out of the rules past the grace period, or dropped in HMS); its commit records are gone.</summary>
    Retired,
}
