using Unitization.Replication.Lifecycle;

namespace Unitization.Replication.Hosting;

/// <summary><c>GET /api/v1/replicas</c>: the replicas with their lifecycle state, and the lifecycle's latest history.</summary>
internal sealed record ReplicaListing(IReadOnlyList<ReplicaView> Replicas, IReadOnlyList<LifecycleEntry> History);

/// <summary>One replica in <see cref="ReplicaListing"/>; <c>state</c> is active, expiring or retired.</summary>
internal sealed record ReplicaView(
    string Datacenter,
    string Path,
    string Dataset,
    string State,
    DateTimeOffset CommittedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? UnruledSince,
    DateTimeOffset? RetireAt,
    DateTimeOffset? RetiredAt,
    string? Reason);
