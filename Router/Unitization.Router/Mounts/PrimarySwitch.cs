using Unitization.Replication.Versions;
using Unitization.Router.Versions;

namespace Unitization.Router.Mounts;

/// <summary>
/// Moves a mirrored mount's primary to another datacenter without serving a stale or missing copy:
/// <see cref="BeginAsync"/> holds back writes under the mount (resolves with write intent answer
/// <c>PrimarySwitching</c>), the caller copies the old primary to the new one (a migration, which records the new
/// copy's version), and <see cref="TryCompleteAsync"/> switches only when that copy is fresh against the old primary:
/// it removes the other copies' replica versions under the mount (they count the old primary's txids, which mean
/// nothing against the new one's log), re-reads the versions, puts the mount with the new primary first, and lets
/// writes through again. Until then readers are served as before; after it, the other copies are served only once
/// Replication has copied them from the new primary. The fence is per process: run it in the process of the router
/// that writers resolve through.
/// </summary>
public sealed class PrimarySwitch
{
    private readonly MountRegistry _mounts;
    private readonly VersionService _versions;
    private readonly IReplicaVersionStore _replicaVersions;

    internal PrimarySwitch(MountRegistry mounts, VersionService versions, IReplicaVersionStore replicaVersions)
    {
        _mounts = mounts;
        _versions = versions;
        _replicaVersions = replicaVersions;
    }

    /// <summary>
    /// Holds back writes under the mount at <paramref name="mountPath"/> (a mirrored mount at exactly that path) and
    /// waits for the writes under way (the gateway's, which hold a write lease from resolve to their last byte).
    /// </summary>
    public Task BeginAsync(string mountPath, CancellationToken cancellationToken)
    {
        var mount = MountAt(mountPath);
        return _mounts.FenceAsync(mount.Path, cancellationToken);
    }

    /// <summary>Lets writes through again without switching (the copy failed).</summary>
    public void Abort(string mountPath)
    {
        ArgumentNullException.ThrowIfNull(mountPath);
        _mounts.Unfence(RouterPath.TryNormalize(mountPath, out var normal, out _) ? normal : mountPath);
    }

    /// <summary>
    /// Switches when <paramref name="newPrimary"/>'s copy is fresh (false: copy again, then call again); true when
    /// switched, or when it already is the primary. <paramref name="neitherHoldsThePath"/>: the caller read, with writes
    /// held back, that neither the old primary nor the new one holds anything at the mount's path, so there is nothing
    /// to copy and the switch needs no recorded version (a log without edits under the path proves nothing about the
    /// new copy, which may hold what it kept from an earlier time as primary). <paramref name="replicas"/> are the
    /// other copies, in order.
    /// </summary>
    public async Task<bool> TryCompleteAsync(string mountPath, string newPrimary, IReadOnlyList<string> replicas, bool neitherHoldsThePath,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(replicas);
        var mount = MountAt(mountPath);
        var primary = mount.Destinations[0];
        var target = mount.In(newPrimary) ?? throw new InvalidOperationException($"{mount.Path} keeps no copy in {newPrimary}: add it as a replica first.");
        if (primary.Datacenter == newPrimary)
        {
            _mounts.Unfence(mount.Path);
            return true;
        }

        if (!_mounts.IsWriteFenced(mount.Path))
        {
            throw new InvalidOperationException($"{mount.Path}: call BeginAsync first (writes must be held back while the copy catches up).");
        }

        await _versions.RefreshGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // the freshest view of the new copy's version before deciding
            _versions.Replicas.Replace(newPrimary, await _replicaVersions.ListAsync(newPrimary, "/", cancellationToken).ConfigureAwait(false));
            if (!neitherHoldsThePath
                && !(await _versions.CheckAsync(primary.Datacenter, primary.Path, newPrimary, target.Path, cancellationToken).ConfigureAwait(false)).IsFresh)
            {
                return false;
            }

            var others = mount.Destinations.Where(d => d.Datacenter != newPrimary).ToList();
            foreach (var copy in others)
            {
                foreach (var record in await _replicaVersions.ListAsync(copy.Datacenter, copy.Path, cancellationToken).ConfigureAwait(false))
                {
                    await _replicaVersions.RemoveAsync(copy.Datacenter, record.Path, cancellationToken).ConfigureAwait(false);
                }

                _versions.Replicas.Replace(copy.Datacenter, await _replicaVersions.ListAsync(copy.Datacenter, "/", cancellationToken).ConfigureAwait(false));
            }

            var order = replicas.Where(r => r != newPrimary).Distinct(StringComparer.Ordinal).ToList();
            var destinations = new List<string> { $"{newPrimary}:{target.Path}" };
            foreach (var dc in order)
            {
                var copy = mount.In(dc);
                destinations.Add($"{dc}:{copy?.Path ?? mount.Path}");
            }

            var errors = await _mounts.PutAsync(new MountOptions { Path = mount.Path, Destinations = destinations }, cancellationToken).ConfigureAwait(false);
            if (errors.Count > 0)
            {
                throw new InvalidOperationException($"{mount.Path}: {string.Join("; ", errors)}");
            }
        }
        finally
        {
            _versions.RefreshGate.Release();
        }

        _mounts.Unfence(mount.Path);
        return true;
    }

    private MirroredMount MountAt(string mountPath)
    {
        ArgumentNullException.ThrowIfNull(mountPath);
        if (!RouterPath.TryNormalize(mountPath, out var normal, out var error))
        {
            throw new ArgumentException(error, nameof(mountPath));
        }

        var mount = _mounts.Current.Match(normal);
        return mount is { Kind: MountKind.Mirrored } && mount.Path == normal
            ? mount
            : throw new InvalidOperationException($"No mirrored mount at {normal}: put one (primary first) before switching its primary.");
    }
}
