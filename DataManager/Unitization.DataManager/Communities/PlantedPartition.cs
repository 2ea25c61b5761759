namespace Unitization.DataManager.Communities;

/// <summary>
/// A planted-partition graph for benchmarks: <c>nodes</c> split into equal groups, <c>edges</c> distinct edges of
/// which a fraction <c>inside</c> joins two nodes of one group, weights uniform in [1, 10). Deterministic for a seed.
/// </summary>
internal static class PlantedPartition
{
    public static (int[] From, int[] To, double[] Weight) Generate(int nodes, int edges, int groups, double inside, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nodes, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(groups, 1);
        var groupSize = Math.Max(2, nodes / groups);
        var random = SplitMix64.For(seed, 0, 0);
        var seen = new HashSet<long>(edges);
        var from = new int[edges];
        var to = new int[edges];
        var weight = new double[edges];
        var made = 0;
        while (made < edges)
        {
            var u = random.Next(nodes);
            int v;
            if (random.NextDouble() < inside)
            {
                var group = Math.Min(u / groupSize, (nodes - 1) / groupSize);
                var first = group * groupSize;
                var size = Math.Min(groupSize, nodes - first);
                v = first + random.Next(size);
            }
            else
            {
                v = random.Next(nodes);
            }

            if (u == v)
            {
                continue;
            }

            // multiplied by an odd constant (a bijection) so the hash codes spread: long's own hash is min ^ max,
            // which collides massively for small node ids and made generation take minutes
            var key = (((long)Math.Min(u, v) << 32) | (uint)Math.Max(u, v)) * unchecked((long)0x9E3779B97F4A7C15UL);
            if (!seen.Add(key))
            {
                continue;
            }

            from[made] = u;
            to[made] = v;
            weight[made] = 1 + Math.Floor(random.NextDouble() * 90) / 10;
            made++;
        }

        return (from, to, weight);
    }
}
