using Unitization.Namespaces;
using Unitization.Router.Addresses;
using Unitization.Router.Mounts;
using Unitization.Router.Telemetry;
using Unitization.Router.Versions;

namespace Unitization.Router.Resolution;

/// <summary>
/// Resolves a logical path for a client to a copy: the mount (longest prefix), the client's datacenter (by IP), and for
/// a read of a mirrored mount the replica in the client's datacenter when it is fresh, otherwise the primary.
/// </summary>
public sealed class RouteResolver
{
    private readonly MountRegistry _mounts;
    private readonly VersionService _versions;
    private readonly RouterMetrics? _metrics;

    internal RouteResolver(MountRegistry mounts, ClientNetworkMap networks, VersionService versions, RouterMetrics? metrics = null)
    {
        _mounts = mounts;
        Networks = networks;
        _versions = versions;
        _metrics = metrics;
    }

    public ClientNetworkMap Networks { get; }

    public MountTable Mounts => _mounts.Current;

    /// <summary>
    /// A lease on writes under the mirrored mount covering <paramref name="path"/>, to hold from before resolving a
    /// write until it has ended; null when no mirrored mount covers the path or writes there are held back (the resolve
    /// then answers <see cref="RouteReason.PrimarySwitching"/>).
    /// </summary>
    public IDisposable? EnterWrite(string path) =>
        _mounts.Current.Match(path) is { Kind: MountKind.Mirrored } mount ? _mounts.EnterWrite(mount.Path) : null;

    /// <summary>Resolves for a client address given as text (unknown or invalid → the default datacenter).</summary>
    public Route Resolve(string path, ReadOnlySpan<char> clientIp, RouteIntent intent)
    {
        var datacenter = Networks.Locate(clientIp, out var known);
        return Resolve(path, datacenter, known, intent);
    }

    /// <param name="path">A normalized logical path (see <see cref="RouterPath.TryNormalize"/>).</param>
    public Route Resolve(string path, string clientDatacenter, bool clientKnown, RouteIntent intent)
    {
        var route = Choose(path, clientDatacenter, clientKnown, intent);
        _metrics?.Resolved(route.Reason);
        return route;
    }

    private Route Choose(string path, string clientDatacenter, bool clientKnown, RouteIntent intent)
    {
        ArgumentNullException.ThrowIfNull(path);
        var mount = _mounts.Current.Match(path);
        if (mount is null)
        {
            return new Route(path, clientDatacenter, clientKnown, null, null, null, TxId.None, false, RouteReason.NoMount);
        }

        switch (mount.Kind)
        {
            case MountKind.Follow:
                return new Route(path, clientDatacenter, clientKnown, mount, clientDatacenter, mount.Translate(mount.Destinations[0].Path, path), TxId.None, true, RouteReason.FollowMount);
            case MountKind.ReadOnly:
                if (intent == RouteIntent.Write)
                {
                    return new Route(path, clientDatacenter, clientKnown, mount, null, null, TxId.None, false, RouteReason.WriteRefused);
                }

                var own = mount.In(clientDatacenter);
                var copy = own ?? mount.Destinations[0];
                var version = _versions.Replicas.Covering(copy.Datacenter, mount.Translate(copy.Path, path)) ?? TxId.None;
                return new Route(path, clientDatacenter, clientKnown, mount, copy.Datacenter, mount.Translate(copy.Path, path), version, true,
                    own is null ? RouteReason.ReadOnlyMountElsewhere : RouteReason.ReadOnlyMount);
        }

        var primary = mount.Destinations[0];
        var primaryPath = mount.Translate(primary.Path, path);
        if (intent == RouteIntent.Write)
        {
            if (_mounts.IsWriteFenced(mount.Path))
            {
                // the primary is being switched: a write now could land in the copy that stops being the primary
                return new Route(path, clientDatacenter, clientKnown, mount, null, null, TxId.None, false, RouteReason.PrimarySwitching);
            }

            return new Route(path, clientDatacenter, clientKnown, mount, primary.Datacenter, primaryPath, _versions.PrimaryVersion(primary.Datacenter, primaryPath), true, RouteReason.WriteToPrimary);
        }

        if (string.Equals(primary.Datacenter, clientDatacenter, StringComparison.Ordinal))
        {
            return new Route(path, clientDatacenter, clientKnown, mount, primary.Datacenter, primaryPath, _versions.PrimaryVersion(primary.Datacenter, primaryPath), true, RouteReason.PrimaryInClientDatacenter);
        }

        var replica = mount.In(clientDatacenter);
        if (replica is null)
        {
            return new Route(path, clientDatacenter, clientKnown, mount, primary.Datacenter, primaryPath, _versions.PrimaryVersion(primary.Datacenter, primaryPath), true, RouteReason.NoCopyInClientDatacenter);
        }

        var replicaPath = mount.Translate(replica.Path, path);
        var check = _versions.Check(primary.Datacenter, primaryPath, replica.Datacenter, replicaPath);
        if (check.IsFresh)
        {
            return new Route(path, clientDatacenter, clientKnown, mount, replica.Datacenter, replicaPath, check.ReplicaVersion!.Value, true, RouteReason.FreshReplica,
                check.PrimaryVersion, check.ReplicaVersion, check.Followed, check.PrimaryLastTxId);
        }

        var reason = check.Verdict switch
        {
            FreshnessVerdict.CatchingUp => RouteReason.VersionsCatchingUp,
            FreshnessVerdict.NoReplicaVersion => RouteReason.NoReplicaVersion,
            _ => RouteReason.StaleReplica,
        };
        return new Route(path, clientDatacenter, clientKnown, mount, primary.Datacenter, primaryPath, check.PrimaryVersion, true, reason,
            check.PrimaryVersion, check.ReplicaVersion, check.Followed, check.PrimaryLastTxId);
    }
}
