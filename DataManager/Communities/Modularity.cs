using System.Runtime.CompilerServices;

namespace Unitization.DataManager.Communities;

/// <summary>
/// Newman's weighted modularity with a resolution parameter (Reichardt and Bornholdt):
/// <c>Q = 1/(2m) * sum_ij [A_ij - gamma * k_i * k_j / (2m)] * delta(c_i, c_j)</c>
/// = <c>sum_c [ in_c / (2m) - gamma * (tot_c / (2m))^2 ]</c>, where <c>in_c</c> sums <c>A_ij</c> over ordered pairs
/// inside community c (a self-loop of weight w adds <c>A_ii = 2w</c>) and <c>tot_c</c> sums the degrees in c.
/// </summary>
internal static class Modularity
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Compute(CsrGraph graph, ReadOnlySpan<int> membership, double resolution = 1.0)
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (membership.Length != graph.NodeCount)
        {
            throw new ArgumentException($"Membership has {membership.Length} entries for {graph.NodeCount} nodes.", nameof(membership));
        }

        var twoM = graph.TotalWeight;
        if (twoM <= 0)
        {
            return 0;
        }

        var communities = 0;
        foreach (var c in membership)
        {
            if (c < 0)
            {
                throw new ArgumentException("Membership holds a negative community.", nameof(membership));
            }

            communities = Math.Max(communities, c + 1);
        }

        var inside = new double[communities];
        var total = new double[communities];
        for (var i = 0; i < graph.NodeCount; i++)
        {
            var c = membership[i];
            total[c] += graph.Degrees[i];
            var w = graph.SelfLoops[i];
            for (var e = graph.Offsets[i]; e < graph.Offsets[i + 1]; e++)
            {
                if (membership[graph.Targets[e]] == c)
                {
                    w += graph.Weights[e];
                }
            }

            inside[c] += w;
        }

        double q = 0;
        for (var c = 0; c < communities; c++)
        {
            var share = total[c] / twoM;
            q += (inside[c] / twoM) - (resolution * share * share);
        }

        return q;
    }
}
