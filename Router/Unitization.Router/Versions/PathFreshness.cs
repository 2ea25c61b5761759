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

    public bool IsFresh(string datacenter, string path)
    {
        ArgumentNullException.ThrowIfNull(datacenter);
        if (!RouterPath.TryNormalize(path, out var normal, out _) || _mounts.Current.Match(normal) is not { } mount)
        {
            return false;
        }

        if (mount.Kind == MountKind.Follow)
        {
            return true;
        }

        var copy = mount.In(datacenter);
        if (copy is null)
        {
            return false;
        }

        if (mount.Kind == MountKind.ReadOnly || copy == mount.Primary)
        {
            return true;
        }

        var primary = mount.Destinations[0];
        return _versions.Check(primary.Datacenter, mount.Translate(primary.Path, normal), datacenter, mount.Translate(copy.Path, normal)).IsFresh;
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
            return IsFresh(datacenter, partitionPath);
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
        await DatasetPathAsync(datasetNamespace, datasetName, cancellationToken).ConfigureAwait(false) is { } path && IsFresh(datacenter, path);
}
