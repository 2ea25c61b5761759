using System.Runtime.CompilerServices;

namespace Unitization.DataManager.Communities;

/// <summary>
/// An undirected weighted graph in compressed sparse rows: for node <c>i</c>, its neighbours are
/// <c>Targets[Offsets[i]..Offsets[i+1]]</c> with <c>Weights</c> alongside (each edge appears in both rows, parallel
/// edges merged). Self-loops are kept apart in <see cref="SelfLoops"/> as the adjacency entry <c>A_ii</c> (twice the
/// loop's weight), so a node's degree is <c>k_i = A_ii + sum_j A_ij</c> and <see cref="TotalWeight"/> is <c>2m</c>.
/// The arrays of an aggregate level inside a Leiden run may be longer than <see cref="NodeCount"/> and
/// <c>Offsets[NodeCount]</c> (pooled); every reader goes by those, not by the arrays' lengths.
/// </summary>
internal sealed class CsrGraph
{
    private readonly bool _pooled;

    public CsrGraph(int[] offsets, int[] targets, double[] weights, double[] selfLoops)
        : this(offsets.Length - 1, offsets, targets, weights, selfLoops, new double[offsets.Length - 1], pooled: false)
    {
    }

    /// <summary>
    /// A graph of <paramref name="nodeCount"/> rows whose arrays may be longer than needed (an aggregate level on
    /// <see cref="PooledArray"/> arrays when <paramref name="pooled"/>; <see cref="ReturnToPool"/> gives them back).
    /// <paramref name="degrees"/> is filled here.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal CsrGraph(int nodeCount, int[] offsets, int[] targets, double[] weights, double[] selfLoops, double[] degrees, bool pooled)
    {
        Offsets = offsets;
        Targets = targets;
        Weights = weights;
        SelfLoops = selfLoops;
        NodeCount = nodeCount;
        Degrees = degrees;
        _pooled = pooled;
        double total = 0;
        for (var i = 0; i < nodeCount; i++)
        {
            var k = selfLoops[i];
            for (var e = offsets[i]; e < offsets[i + 1]; e++)
            {
                k += weights[e];
            }

            degrees[i] = k;
            total += k;
        }

        TotalWeight = total;
    }

    public int NodeCount { get; }

    public int[] Offsets { get; }

    public int[] Targets { get; }

    public double[] Weights { get; }

    /// <summary><c>A_ii</c>: twice the weight of node i's self-loops (after aggregation: all weight inside the node).</summary>
    public double[] SelfLoops { get; }

    /// <summary><c>k_i</c>, the weighted degree.</summary>
    public double[] Degrees { get; }

    /// <summary><c>2m</c>, the sum of all degrees.</summary>
    public double TotalWeight { get; }

    public int EdgeCount => Offsets[NodeCount] / 2;

    /// <summary>Gives the arrays of a pooled aggregate graph back to the pool (nothing for a graph built otherwise); the graph is unusable after.</summary>
    internal void ReturnToPool()
    {
        if (_pooled)
        {
            PooledArray.Return(Offsets);
            PooledArray.Return(Targets);
            PooledArray.Return(Weights);
            PooledArray.Return(SelfLoops);
            PooledArray.Return(Degrees);
        }
    }

    /// <summary>Builds the graph from an edge list; parallel edges are summed, an edge <c>(u,u)</c> becomes a self-loop.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static CsrGraph FromEdges(int nodeCount, ReadOnlySpan<int> from, ReadOnlySpan<int> to, ReadOnlySpan<double> weight)
    {
        if (from.Length != to.Length || from.Length != weight.Length)
        {
            throw new ArgumentException("Edge arrays differ in length.", nameof(weight));
        }

        var selfLoops = new double[nodeCount];
        var counts = new int[nodeCount + 1];
        for (var e = 0; e < from.Length; e++)
        {
            var (u, v, w) = (from[e], to[e], weight[e]);
            if ((uint)u >= (uint)nodeCount || (uint)v >= (uint)nodeCount)
            {
                throw new ArgumentOutOfRangeException(nameof(from), $"Edge {e} ({u},{v}) names a node outside 0..{nodeCount - 1}.");
            }

            if (!(w >= 0) || double.IsInfinity(w))
            {
                throw new ArgumentOutOfRangeException(nameof(weight), $"Edge {e} ({u},{v}) has weight {w}; weights must be finite and not negative.");
            }

            if (u == v)
            {
                selfLoops[u] += 2 * w;
            }
            else
            {
                counts[u + 1]++;
                counts[v + 1]++;
            }
        }

        for (var i = 0; i < nodeCount; i++)
        {
            counts[i + 1] += counts[i];
        }

        // each edge written into both rows in input order, then moved row by row into the rows of its other end: a
        // row then receives its neighbours in increasing order (a counting sort, no comparisons), so parallel edges
        // are adjacent and merge in one pass
        // rented: given back right after, where the first aggregation of a Leiden run finds them (fresh memory costs
        // its page faults)
        var entries = counts[nodeCount];
        var unsortedTargets = PooledArray.RentUncleared<int>(entries);
        var unsortedWeights = PooledArray.RentUncleared<double>(entries);
        var fill = (int[])counts.Clone();
        for (var e = 0; e < from.Length; e++)
        {
            var (u, v, w) = (from[e], to[e], weight[e]);
            if (u == v)
            {
                continue;
            }

            unsortedTargets[fill[u]] = v;
            unsortedWeights[fill[u]++] = w;
            unsortedTargets[fill[v]] = u;
            unsortedWeights[fill[v]++] = w;
        }

        Array.Copy(counts, fill, nodeCount + 1);
        var targets = new int[entries];
        var weights = new double[entries];
        for (var t = 0; t < nodeCount; t++)
        {
            for (var e = counts[t]; e < counts[t + 1]; e++)
            {
                var s = unsortedTargets[e];
                targets[fill[s]] = t;
                weights[fill[s]++] = unsortedWeights[e];
            }
        }

        PooledArray.Return(unsortedTargets);
        PooledArray.Return(unsortedWeights);
        return MergeParallelEdges(counts, targets, weights, selfLoops);
    }

    // Sums runs of equal targets (rows sorted), packing the rows to the left in place.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static CsrGraph MergeParallelEdges(int[] offsets, int[] targets, double[] weights, double[] selfLoops)
    {
        var n = offsets.Length - 1;
        var write = 0;
        var rowStart = 0;
        for (var i = 0; i < n; i++)
        {
            var rowEnd = offsets[i + 1];
            var first = write;
            for (var e = rowStart; e < rowEnd; e++)
            {
                if (write > first && targets[write - 1] == targets[e])
                {
                    weights[write - 1] += weights[e];
                }
                else
                {
                    targets[write] = targets[e];
                    weights[write++] = weights[e];
                }
            }

            rowStart = rowEnd;
            offsets[i + 1] = write;
        }

        if (write < targets.Length)
        {
            Array.Resize(ref targets, write);
            Array.Resize(ref weights, write);
        }

        return new CsrGraph(offsets, targets, weights, selfLoops);
    }

}
