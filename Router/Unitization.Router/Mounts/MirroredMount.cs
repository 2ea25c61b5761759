namespace Unitization.Router.Mounts;

/// <summary>
/// A mount table entry: the logical <see cref="Path"/> and where it lives. For <see cref="MountKind.Mirrored"/> the
/// first destination is the primary and the rest are replicas, in order of preference; for
/// <see cref="MountKind.Follow"/> the single destination's datacenter is ignored and the caller's own is used.
/// <see cref="Source"/> is <c>config</c> or <c>api</c>.
/// </summary>
public sealed record MirroredMount(string Path, MountKind Kind, IReadOnlyList<MountDestination> Destinations, string Source)
{
    public MountDestination? Primary => Kind == MountKind.Mirrored ? Destinations[0] : null;

    /// <summary>The destination in a datacenter, or null when the mount keeps no copy there.</summary>
    public MountDestination? In(string datacenter)
    {
        foreach (var destination in Destinations)
        {
            if (string.Equals(destination.Datacenter, datacenter, StringComparison.Ordinal))
            {
                return destination;
            }
        }

        return null;
    }

    /// <summary>The physical path of <paramref name="logicalPath"/> (which lies under this mount) in <paramref name="destinationPath"/>.</summary>
    public string Translate(string destinationPath, string logicalPath)
    {
        ArgumentNullException.ThrowIfNull(destinationPath);
        ArgumentNullException.ThrowIfNull(logicalPath);
        if (string.Equals(destinationPath, Path, StringComparison.Ordinal))
        {
            return logicalPath; // mirrored at the same path (the common case): nothing to build
        }

        var rest = Path == "/" ? logicalPath.AsSpan() : logicalPath.AsSpan(Path.Length);
        if (rest.IsEmpty)
        {
            return destinationPath;
        }

        return destinationPath == "/" ? rest.ToString() : string.Concat(destinationPath.AsSpan(), rest);
    }
}
