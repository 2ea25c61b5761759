using System.Collections.Frozen;

namespace Unitization.Router;

/// <summary>
/// An immutable map from normal paths to values that answers "the entry at this path or its nearest ancestor" without
/// allocating: the path's '/'-boundary prefixes are tried longest first, and only those whose length some key has
/// (a bit set that fits in cache) are hashed and probed. With mount paths of a few lengths, most lookups cost one
/// probe instead of one per segment.
/// </summary>
internal sealed class NearestPathIndex<TValue>
{
    private const int TrackedLengths = 1024; // longer keys are rare: lengths beyond this are always probed

    private readonly FrozenDictionary<string, TValue>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly ulong[] _lengths = new ulong[TrackedLengths / 64];
    private readonly int _longest;

    public NearestPathIndex(IEnumerable<KeyValuePair<string, TValue>> entries)
    {
        var map = entries.ToFrozenDictionary(StringComparer.Ordinal);
        _lookup = map.GetAlternateLookup<ReadOnlySpan<char>>();
        Count = map.Count;
        foreach (var key in map.Keys)
        {
            _longest = Math.Max(_longest, key.Length);
            if (key.Length < TrackedLengths)
            {
                _lengths[key.Length >> 6] |= 1UL << key.Length;
            }
        }
    }

    public int Count { get; }

    /// <summary>The value at <paramref name="path"/> or its nearest ancestor that has one.</summary>
    public bool TryGetNearest(ReadOnlySpan<char> path, out TValue value)
    {
        var length = path.Length;
        if (length == 0 || path[0] != '/')
        {
            value = default!;
            return false;
        }

        if (length > _longest)
        {
            // no key is as long as the path: start at the longest '/' boundary a key could end at
            length = path[..Math.Min(path.Length, _longest + 1)].LastIndexOf('/');
        }

        while (length > 1)
        {
            if (Has(length) && _lookup.TryGetValue(path[..length], out value!))
            {
                return true;
            }

            length = path[..length].LastIndexOf('/');
        }

        if (Has(1) && _lookup.TryGetValue("/", out value!))
        {
            return true; // the root covers every absolute path
        }

        value = default!;
        return false;
    }

    private bool Has(int length) => length >= TrackedLengths || (_lengths[length >> 6] & (1UL << length)) != 0;
}
