using Unitization.Namespaces;
using Unitization.Router.Mounts;

namespace Unitization.Router.Resolution;

/// <summary>
/// Where a path is served for a client: the datacenter (its namespace), the physical path there, the version of the
/// copy, whether it is fresh, and why. <see cref="Datacenter"/> is null when nothing may serve it
/// (<see cref="RouteReason.NoMount"/>, <see cref="RouteReason.WriteRefused"/>).
/// </summary>
public sealed record Route(
    string Path,
    string ClientDatacenter,
    bool ClientKnown,
    MirroredMount? Mount,
    string? Datacenter,
    string? PhysicalPath,
    TxId Version,
    bool Fresh,
    RouteReason Reason,
    TxId PrimaryVersion = default,
    TxId? ReplicaVersion = null,
    TxId Followed = default,
    TxId PrimaryLastTxId = default)
{
    public string? PrimaryDatacenter => Mount?.Primary?.Datacenter;

    /// <summary>True when the copy served lives in another datacenter than the client's.</summary>
    public bool CrossesDatacenters => Datacenter is not null && !string.Equals(Datacenter, ClientDatacenter, StringComparison.Ordinal);

    /// <summary>The reason in words, with the versions that decided it.</summary>
    public string Explain() => Reason switch
    {
        RouteReason.PrimaryInClientDatacenter => $"the client's datacenter {ClientDatacenter} holds the primary (version {Version})",
        RouteReason.FreshReplica => $"the replica in the client's datacenter {ClientDatacenter} is fresh: version {ReplicaVersion} >= the primary's last txid {PrimaryVersion} under {Path}",
        RouteReason.StaleReplica => $"the replica in {ClientDatacenter} is stale: version {ReplicaVersion} < the primary's last txid {PrimaryVersion} under {Path}; reading from the primary {Datacenter} (throttled)",
        RouteReason.NoReplicaVersion => $"{ClientDatacenter} holds a replica mount but Replication has recorded no version for it; reading from the primary {Datacenter} (throttled)",
        RouteReason.VersionsCatchingUp => $"the version service has followed {Datacenter}'s edit log to txid {Followed} of {PrimaryLastTxId}; reading from the primary {Datacenter} (throttled)",
        RouteReason.NoCopyInClientDatacenter => $"{ClientDatacenter} holds no copy of mount {Mount?.Path}; reading from the primary {Datacenter} (throttled)",
        RouteReason.WriteToPrimary => $"writes go to the primary {Datacenter}",
        RouteReason.FollowMount => $"{Mount?.Path} is a follow mount: the client's own datacenter {Datacenter}",
        RouteReason.ReadOnlyMount => $"{Mount?.Path} is a read-only mount with a copy in the client's datacenter {Datacenter}",
        RouteReason.ReadOnlyMountElsewhere => $"{Mount?.Path} is a read-only mount with no copy in {ClientDatacenter}; reading the copy in {Datacenter} (throttled)",
        RouteReason.WriteRefused => $"{Mount?.Path} is a read-only mount (replicas only): writes are refused",
        RouteReason.PrimarySwitching => $"{Mount?.Path} is switching its primary: writes wait until the new primary holds everything (retry shortly)",
        RouteReason.NoMount => $"no mount covers {Path}",
        _ => Reason.ToString(),
    };
}
