namespace Unitization.DataManager.Communities;

/// <summary>Ranges of buckets (communities, aggregate nodes) with roughly equal work each, for parallel loops.</summary>
internal static class BalancedChunks
{
    /// <summary>
    /// Splits buckets <c>0..count</c>, whose cumulative sizes are <paramref name="start"/> (bucket b holds
    /// <c>start[b]..start[b+1]</c>), into about <paramref name="pieces"/> ranges of roughly equal size: returns the
    /// ranges' bounds, from 0 to <paramref name="count"/>.
    /// </summary>
    public static int[] Split(int count, int[] start, int pieces)
    {
        var bounds = new List<int> { 0 };
        var total = start[count];
        var target = Math.Max(1, total / Math.Max(1, pieces));
        var next = target;
        for (var c = 0; c < count; c++)
        {
            if (start[c + 1] >= next && c + 1 < count)
            {
                bounds.Add(c + 1);
                next = start[c + 1] + target;
            }
        }

        bounds.Add(count);
        return [.. bounds];
    }
}
