namespace Unitization.Router.Resolution;

/// <summary>Why the router chose a copy (or none); <see cref="Route.Explain"/> says it in words.</summary>
public enum RouteReason
{
    PrimaryInClientDatacenter,
    FreshReplica,
    StaleReplica,
    NoReplicaVersion,
    VersionsCatchingUp,
    NoCopyInClientDatacenter,
    WriteToPrimary,
    FollowMount,
    ReadOnlyMount,
    ReadOnlyMountElsewhere,
    WriteRefused,
    PrimarySwitching,
    NoMount,
}
