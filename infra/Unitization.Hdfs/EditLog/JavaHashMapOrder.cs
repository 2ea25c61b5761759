namespace Unitization.Hdfs.EditLog;

/// <summary>
/// The iteration order of a <c>java.util.HashMap&lt;String, String&gt;</c> built with <c>new HashMap&lt;&gt;(n)</c> and
/// filled in the given order: oev prints an erasure coding policy's extra options in that order. Buckets by
/// <c>(h ^ h &gt;&gt;&gt; 16) &amp; (capacity - 1)</c> of <c>String.hashCode</c>, insertion order within a bucket, a later
/// duplicate key replacing the value in place.
/// </summary>
internal static class JavaHashMapOrder
{
    public static IReadOnlyList<(string Key, string Value)> Of(IEnumerable<(string Key, string Value)> entries)
    {
        var list = new List<(string Key, string Value)>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (key, value) in entries)
        {
            if (index.TryGetValue(key, out var at))
            {
                list[at] = (key, value);
            }
            else
            {
                index[key] = list.Count;
                list.Add((key, value));
            }
        }

        var capacity = TableSizeFor(list.Count);
        while (list.Count > (int)(capacity * 0.75f))
        {
            capacity *= 2;
        }

        return list
            .Select((entry, order) => (entry, order, bucket: Spread(JavaHashCode(entry.Key)) & (capacity - 1)))
            .OrderBy(x => x.bucket)
            .ThenBy(x => x.order)
            .Select(x => x.entry)
            .ToList();
    }

    public static int JavaHashCode(string s)
    {
        var h = 0;
        foreach (var c in s)
        {
            h = unchecked((31 * h) + c);
        }

        return h;
    }

    private static int Spread(int h) => h ^ (int)((uint)h >> 16);

    private static int TableSizeFor(int capacity)
    {
        var n = capacity <= 1 ? 1 : (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)capacity);
        return n;
    }
}
