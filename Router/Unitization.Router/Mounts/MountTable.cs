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

    /// <summary>
    /// The names of the entries directly below <paramref name="path"/> that lead to mounts under it (for
    /// <c>/warehouse</c> with mounts <c>/warehouse/db1</c> and <c>/warehouse/db2/t</c>: <c>db1</c>, <c>db2</c>), sorted
    /// ordinally; empty when no mount lies below the path. A directory listing shows them as directories, as HDFS
    /// router-based federation shows mount points.
    /// </summary>
    public IReadOnlyList<string> MountPointsBelow(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var prefix = path == "/" ? "/" : path + "/";
        var mounts = Mounts;
        int lo = 0, hi = mounts.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (string.CompareOrdinal(mounts[mid].Path, prefix) < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        SortedSet<string>? names = null;
        for (var i = lo; i < mounts.Count && mounts[i].Path.StartsWith(prefix, StringComparison.Ordinal); i++)
        {
            var rest = mounts[i].Path.AsSpan(prefix.Length);
            if (rest.IsEmpty)
            {
                continue;
            }

            var slash = rest.IndexOf('/');
            (names ??= new SortedSet<string>(StringComparer.Ordinal)).Add((slash < 0 ? rest : rest[..slash]).ToString());
        }

        return names is null ? [] : [.. names];
    }

    /// <summary>The mount with the longest path that is <paramref name="path"/> or one of its ancestors.</summary>
    public MirroredMount? Match(ReadOnlySpan<char> path) => _index.TryGetNearest(path, out var mount) ? mount : null;
}
