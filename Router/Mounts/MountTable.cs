namespace Unitization.Router.Mounts;

/// <summary>
/// An immutable snapshot of the mount table: longest-prefix resolution by probing a frozen hash table with the
/// '/'-boundary prefixes of the path that have a mount's length, longest first (no allocation: span keys; see
/// <see cref="NearestPathIndex{TValue}"/>). A change builds a new snapshot.
/// </summary>
public sealed class MountTable
{
    private readonly NearestPathIndex<MirroredMount> _index;

    public MountTable(IEnumerable<MirroredMount> mounts)
    {
        Mounts = [.. mounts.OrderBy(m => m.Path, StringComparer.Ordinal)];
        _index = new NearestPathIndex<MirroredMount>(Mounts.Select(m => KeyValuePair.Create(m.Path, m)));
    }

    public static MountTable Empty { get; } = new([]);

    /// <summary>The mounts, sorted by path.</summary>
    public IReadOnlyList<MirroredMount> Mounts { get; }

    public int Count => _index.Count;

    /// <summary>The mount with the longest path that is <paramref name="path"/> or one of its ancestors.</summary>
    public MirroredMount? Match(ReadOnlySpan<char> path) => _index.TryGetNearest(path, out var mount) ? mount : null;
}
