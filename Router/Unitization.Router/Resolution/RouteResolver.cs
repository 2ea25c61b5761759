using Unitization.Namespaces;
using Unitization.Router.Addresses;
using Unitization.Router.Mounts;
using Unitization.Router.Telemetry;
using Unitization.Router.Versions;

namespace Unitization.Router.Resolution;

/// <summary>
/// Resolves a logical path for a client to a copy: the mount (longest prefix), the client's datacenter (by IP), and for
/// a read of a mirrored mount the replica in the client's datacenter when it is fresh, otherwise the primary. A replica
/// of a primary that learns its writes by polling (HDFS) is fresh only after a catch-up with that primary, which
/// <see cref="ResolveAsync(string, string, RouteIntent, CancellationToken)"/> waits for; <see cref="Resolve(string, ReadOnlySpan{char}, RouteIntent)"/>
/// sends such reads to the primary.
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
        var route = Choose(path, clientDatacenter, clientKnown, intent, null, out _);
        _metrics?.Resolved(route.Reason);
        return route;
    }

    /// <summary>As <see cref="Resolve(string, ReadOnlySpan{char}, RouteIntent)"/>, catching up with an HDFS primary before serving a read from its replica.</summary>
    public ValueTask<Route> ResolveAsync(string path, string clientIp, RouteIntent intent, CancellationToken cancellationToken)
    {
        var datacenter = Networks.Locate(clientIp, out var known);
        return ResolveAsync(path, datacenter, known, intent, cancellationToken);
    }

    /// <summary>
    /// As <see cref="Resolve(string, string, bool, RouteIntent)"/>, but a read that an HDFS primary's replica could serve
    /// first waits for a catch-up with that primary (begun after this call: every write it answered before is in the
    /// versions compared), as an HDFS client calls msync before reading from an observer; the common cases (the primary
    /// in the client's datacenter, a local primary, a stale replica) answer at once.
    /// </summary>
    public ValueTask<Route> ResolveAsync(string path, string clientDatacenter, bool clientKnown, RouteIntent intent, CancellationToken cancellationToken)
    {
        var route = Choose(path, clientDatacenter, clientKnown, intent, null, out var catchUp);
        if (catchUp is null)
        {
            _metrics?.Resolved(route.Reason);
            return ValueTask.FromResult(route);
        }

        return CaughtUpAsync(route, catchUp, path, clientDatacenter, clientKnown, intent, cancellationToken);
    }

    private async ValueTask<Route> CaughtUpAsync(Route unconfirmed, PrimaryCatchUp catchUp, string path, string clientDatacenter, bool clientKnown, RouteIntent intent, CancellationToken cancellationToken)
    {
        var confirmed = await catchUp.RunAsync(cancellationToken).ConfigureAwait(false);
        var route = confirmed is { } last ? Choose(path, clientDatacenter, clientKnown, intent, (catchUp.Datacenter, last), out _) : unconfirmed;
        _metrics?.Resolved(route.Reason);
        return route;
    }

    private Route Choose(string path, string clientDatacenter, bool clientKnown, RouteIntent intent, (string Primary, TxId Last)? confirmed, out PrimaryCatchUp? catchUp)
    {
        catchUp = null;
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
        // what a catch-up learned counts for the primary it caught up with (the mount may have switched meanwhile)
        var confirmedLast = confirmed is { } c && string.Equals(c.Primary, primary.Datacenter, StringComparison.Ordinal) ? c.Last : (TxId?)null;
        var check = _versions.Check(primary.Datacenter, primaryPath, replica.Datacenter, replicaPath, confirmedLast);
        if (check.NeedsCatchUp)
        {
            catchUp = _versions.CatchUpOf(primary.Datacenter);
        }

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
