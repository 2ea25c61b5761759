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
    private const int NodesPerTask = 8192;

    public static double Compute(CsrGraph graph, ReadOnlySpan<int> membership, double resolution = 1.0) =>
        Compute(graph, membership, resolution, Environment.ProcessorCount);

    /// <summary>The modularity of <paramref name="membership"/>, the same on any number of cores (<paramref name="parallelism"/> at most).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Compute(CsrGraph graph, ReadOnlySpan<int> membership, double resolution, int parallelism)
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

        // each node's weight inside its community is summed on any core (one node's sum is the same wherever it runs);
        // the communities then add the nodes' sums in node order, so the result does not depend on the core count
        var n = graph.NodeCount;
        var nodeInside = PooledArray.RentUncleared<double>(n);
        var offsets = graph.Offsets;
        var targets = graph.Targets;
        var weights = graph.Weights;
        var selfLoops = graph.SelfLoops;
        var partition = PooledArray.RentUncleared<int>(n);
        membership.CopyTo(partition);
        Parallel.For(0, (n + NodesPerTask - 1) / NodesPerTask, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, task =>
        {
            for (var i = task * NodesPerTask; i < Math.Min(n, (task + 1) * NodesPerTask); i++)
            {
                var c = partition[i];
                var w = selfLoops[i];
                for (var e = offsets[i]; e < offsets[i + 1]; e++)
                {
                    if (partition[targets[e]] == c)
                    {
                        w += weights[e];
                    }
                }

                nodeInside[i] = w;
            }
        });

        var q = FromNodeInside(graph, partition, nodeInside, communities, resolution);
        PooledArray.Return(nodeInside);
        PooledArray.Return(partition);
        return q;
    }

    /// <summary>
    /// The modularity of <paramref name="partition"/> (ids below <paramref name="communities"/>) from each node's weight
    /// inside its community (its self-loops and its row's edges into it, in row order): the nodes' sums and degrees are
    /// added by community in node order, so every caller gets the same number for the same partition.
    /// </summary>
    internal static double FromNodeInside(CsrGraph graph, int[] partition, double[] nodeInside, int communities, double resolution)
    {
        var twoM = graph.TotalWeight;
        if (twoM <= 0)
        {
            return 0;
        }

        var inside = PooledArray.Rent<double>(communities);
        var total = PooledArray.Rent<double>(communities);
        for (var i = 0; i < graph.NodeCount; i++)
        {
            var c = partition[i];
            total[c] += graph.Degrees[i];
            inside[c] += nodeInside[i];
        }

        double q = 0;
        for (var c = 0; c < communities; c++)
        {
            var share = total[c] / twoM;
            q += (inside[c] / twoM) - (resolution * share * share);
        }

        PooledArray.Return(inside);
        PooledArray.Return(total);
        return q;
    }
}
