namespace Unitization.Replication.Lifecycle;

/// <summary>
/// A replica the replicator published, with the dataset (<c>db.table</c>) whose rule made it and its lifecycle state:
/// when it was last committed, since when its dataset is out of the rules, and when and why it was retired.
/// </summary>
public sealed record ReplicaRecord(
    string Datacenter,
    string Path,
    string Dataset,
    ReplicaState State,
    DateTimeOffset CommittedAt,
    DateTimeOffset? UnruledSince,
    DateTimeOffset? RetiredAt,
    string? Reason)
{
    /// <summary>When the TTL retires it (set by <see cref="ReplicaLifecycle"/> for the API); null: no TTL.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>When the grace period ends for a replica whose dataset left the rules.</summary>
    public DateTimeOffset? RetireAt { get; init; }
}
