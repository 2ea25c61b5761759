using Microsoft.Extensions.Options;
using Unitization.Replication.Locations;
using Unitization.Router.Mounts;

namespace Unitization.Router.Versions;

/// <summary>
/// The router's freshness answer for other components: is a path (or a dataset, at the location the metastore
/// reported, else through <c>Router:DatasetPaths</c>)
/// fresh in a datacenter, i.e. held there as the primary, or as a replica whose version is not older than the
/// primary's last txid under the path. The host wires DataManager's <c>IDatasetFreshness</c> port to
/// <see cref="IsDatasetFreshAsync"/>.
/// </summary>
public sealed class PathFreshness
{
    private readonly MountRegistry _mounts;
    private readonly VersionService _versions;
    private readonly IReadOnlyList<DatasetPathOptions> _datasets;
    private readonly ITableLocationStore? _locations;

    internal PathFreshness(MountRegistry mounts, VersionService versions, IOptions<RouterOptions> options, ITableLocationStore? locations = null)
    {
        _mounts = mounts;
        _versions = versions;
        _datasets = options.Value.DatasetPaths;
        _locations = locations;
    }

    /// <summary>
    /// Whether a path is fresh in a datacenter as far as the primary's edits are known now: a replica of a primary that
    /// learns its writes by polling (HDFS) is not called fresh here; <see cref="IsFreshAsync"/> catches up with it first.
    /// </summary>
    public bool IsFresh(string datacenter, string path) => FreshnessOf(datacenter, path)?.Fresh == true;

    /// <summary>Whether a path is fresh in a datacenter, catching up with an HDFS primary first (never stale).</summary>
    public async ValueTask<bool> IsFreshAsync(string datacenter, string path, CancellationToken cancellationToken)
    {
        if (FreshnessOf(datacenter, path) is not { } check)
        {
            return false;
        }

        if (!check.NeedsCatchUp)
        {
            return check.Fresh;
        }

        return (await _versions.CheckAsync(check.Primary!, check.PrimaryPath!, datacenter, check.ReplicaPath!, cancellationToken).ConfigureAwait(false)).IsFresh;
    }

    // null: not fresh (no mount, no copy there); else the verdict now, and the replica check to confirm when it needs a catch-up
    private (bool Fresh, bool NeedsCatchUp, string? Primary, string? PrimaryPath, string? ReplicaPath)? FreshnessOf(string datacenter, string path)
    {
        ArgumentNullException.ThrowIfNull(datacenter);
        if (!RouterPath.TryNormalize(path, out var normal, out _) || _mounts.Current.Match(normal) is not { } mount)
        {
            return null;
        }

        if (mount.Kind == MountKind.Follow)
        {
            return (true, false, null, null, null);
        }

        var copy = mount.In(datacenter);
        if (copy is null)
        {
            return null;
        }

        if (mount.Kind == MountKind.ReadOnly || copy == mount.Primary)
        {
            return (true, false, null, null, null);
        }

        var primary = mount.Destinations[0];
        var (primaryPath, replicaPath) = (mount.Translate(primary.Path, normal), mount.Translate(copy.Path, normal));
        var check = _versions.Check(primary.Datacenter, primaryPath, datacenter, replicaPath);
        return (check.IsFresh, check.NeedsCatchUp, primary.Datacenter, primaryPath, replicaPath);
    }

    /// <summary>
    /// Whether one partition of a dataset (<c>dt=2026-12-05</c>, or <c>dt=2026-12-05/hr=01</c>) is fresh in a
    /// datacenter: the partition exists in the primary and is fresh there, as HivePartitionSensor waits for a partition
    /// to exist. Null when the dataset is not partitioned by that key (the primary's table folder holds no
    /// <c>key=...</c> folder): the caller asks about the whole dataset instead.
    /// </summary>
    public async Task<bool?> IsDatasetPartitionFreshAsync(string datasetNamespace, string datasetName, string partition, string datacenter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(partition);
        if (await DatasetPathAsync(datasetNamespace, datasetName, cancellationToken).ConfigureAwait(false) is not { } table || !RouterPath.TryNormalize(table, out var tablePath, out _)
            || !RouterPath.TryNormalize(tablePath + "/" + partition.Trim('/'), out var partitionPath, out _)
            || _mounts.Current.Match(partitionPath) is not { Kind: MountKind.Mirrored } mount)
        {
            return false;
        }

        var primary = mount.Destinations[0];
        var ns = _versions.NamespaceOf(primary.Datacenter);
        if (await ns.GetStatusAsync(mount.Translate(primary.Path, partitionPath), cancellationToken).ConfigureAwait(false) is not null)
        {
            return await IsFreshAsync(datacenter, partitionPath, cancellationToken).ConfigureAwait(false);
        }

        // not there: not written yet if the table is partitioned by that key, else the table is not partitioned so
        var folder = mount.Translate(primary.Path, tablePath);
        if (await ns.GetStatusAsync(folder, cancellationToken).ConfigureAwait(false) is not { IsDirectory: true })
        {
            return false;
        }

        var key = partition.Trim('/').Split('/')[0].Split('=')[0] + "=";
        await foreach (var entry in ns.ListAsync(folder, cancellationToken).ConfigureAwait(false))
        {
            if (entry.IsDirectory && entry.Path[(entry.Path.LastIndexOf('/') + 1)..].StartsWith(key, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return null;
    }

    /// <summary>
    /// A dataset's path: for a Hive table (<c>hive…</c> namespace, <c>db.table</c>) the location the metastore reported
    /// in its events; else the first <c>Router:DatasetPaths</c> template that maps it; null when none does.
    /// </summary>
    public async Task<string?> DatasetPathAsync(string datasetNamespace, string datasetName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(datasetNamespace);
        ArgumentNullException.ThrowIfNull(datasetName);
        var dot = datasetName.IndexOf('.', StringComparison.Ordinal);
        if (_locations is not null && dot > 0 && datasetNamespace.StartsWith("hive", StringComparison.OrdinalIgnoreCase)
            && await _locations.GetAsync(datasetName[..dot], datasetName[(dot + 1)..], cancellationToken).ConfigureAwait(false) is { } located)
        {
            return located;
        }

        return TemplatePathOf(datasetNamespace, datasetName);
    }

    /// <summary>
    /// The Hive table (<c>db.table</c>) at <paramref name="path"/> or a folder above it: by the locations the metastore
    /// reported, else read back through the path templates (<c>/warehouse/{database}/{table}</c>); null when neither knows.
    /// </summary>
    public async Task<string?> TableAtAsync(string path, CancellationToken cancellationToken)
    {
        if (!RouterPath.TryNormalize(path, out var normal, out _))
        {
            return null;
        }

        if (_locations is not null && await _locations.TableAtAsync(normal, cancellationToken).ConfigureAwait(false) is { } table)
        {
            return table;
        }

        return _datasets.Where(d => d.NamespacePrefix.StartsWith("hive", StringComparison.OrdinalIgnoreCase)).Select(d => d.NameAt(normal)).FirstOrDefault(n => n is not null);
    }

    private string? TemplatePathOf(string datasetNamespace, string datasetName)
    {
        foreach (var mapping in _datasets)
        {
            if (mapping.PathOf(datasetNamespace, datasetName) is { } path)
            {
                return path;
            }
        }

        return null;
    }

    /// <summary>Whether a dataset's data is fresh in a datacenter; a dataset no <c>DatasetPaths</c> entry maps is not.</summary>
    public async Task<bool> IsDatasetFreshAsync(string datasetNamespace, string datasetName, string datacenter, CancellationToken cancellationToken) =>
        await DatasetPathAsync(datasetNamespace, datasetName, cancellationToken).ConfigureAwait(false) is { } path
        && await IsFreshAsync(datacenter, path, cancellationToken).ConfigureAwait(false);
}
