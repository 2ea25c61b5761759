using Microsoft.Extensions.Options;
using Unitization.Router.Mounts;

namespace Unitization.Router.Versions;

/// <summary>
/// The router's freshness answer for other components: is a path (or a dataset, through <c>Router:DatasetPaths</c>)
/// fresh in a datacenter, i.e. held there as the primary, or as a replica whose version is not older than the
/// primary's last txid under the path. The host wires DataManager's <c>IDatasetFreshness</c> port to
/// <see cref="IsDatasetFreshAsync"/>.
/// </summary>
public sealed class PathFreshness
{
    private readonly MountRegistry _mounts;
    private readonly VersionService _versions;
    private readonly IReadOnlyList<DatasetPathOptions> _datasets;

    internal PathFreshness(MountRegistry mounts, VersionService versions, IOptions<RouterOptions> options)
    {
        _mounts = mounts;
        _versions = versions;
        _datasets = options.Value.DatasetPaths;
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

    /// <summary>Whether a dataset's data is fresh in a datacenter; a dataset no <c>DatasetPaths</c> entry maps is not.</summary>
    public Task<bool> IsDatasetFreshAsync(string datasetNamespace, string datasetName, string datacenter, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        foreach (var mapping in _datasets)
        {
            if (mapping.PathOf(datasetNamespace, datasetName) is { } path)
            {
                return Task.FromResult(IsFresh(datacenter, path));
            }
        }

        return Task.FromResult(false);
    }
}
