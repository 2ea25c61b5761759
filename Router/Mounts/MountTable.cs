using System.Collections.Frozen;

namespace Unitization.Router.Mounts;

/// <summary>
/// An immutable snapshot of the mount table: longest-prefix resolution by probing a frozen hash table with each
/// '/'-boundary prefix of the path, longest first (no allocation: span keys). A change builds a new snapshot.
/// </summary>
public sealed class MountTable
{
    private readonly FrozenDictionary<string, MirroredMount> _mounts;
    private readonly FrozenDictionary<string, MirroredMount>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public MountTable(IEnumerable<MirroredMount> mounts)
    {
        _mounts = mounts.ToFrozenDictionary(m => m.Path, StringComparer.Ordinal);
        _lookup = _mounts.GetAlternateLookup<ReadOnlySpan<char>>();
        Mounts = [.. _mounts.Values.OrderBy(m => m.Path, StringComparer.Ordinal)];
    }

    public static MountTable Empty { get; } = new([]);

    /// <summary>The mounts, sorted by path.</summary>
    public IReadOnlyList<MirroredMount> Mounts { get; }

    public int Count => _mounts.Count;

    /// <summary>The mount with the longest path that is <paramref name="path"/> or one of its ancestors.</summary>
    public MirroredMount? Match(ReadOnlySpan<char> path)
    {
        var probe = path;
        while (true)
        {
            if (_lookup.TryGetValue(probe, out var mount))
            {
                return mount;
            }

            if (probe.Length <= 1)
            {
                return null;
            }

            var slash = probe.LastIndexOf('/');
            probe = slash == 0 ? "/" : probe[..slash];
        }
    }
}
