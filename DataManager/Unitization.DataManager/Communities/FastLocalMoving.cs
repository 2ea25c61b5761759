using System.Runtime.CompilerServices;

namespace Unitization.DataManager.Communities;

/// <summary>
/// Leiden's fast local moving phase on CSR arrays: nodes are visited from a queue; each moves to the neighbouring
/// community (or an empty one) with the largest modularity gain, and its neighbours outside the new community are
/// queued again, so only nodes whose surroundings changed are revisited. The edge weight from the visited node to each
/// community is summed in one reusable array with a list of the communities touched (reset after the visit): no
/// dictionary, no allocation per visit.
/// <para>
/// The queue starts with all nodes in random order. On big graphs (from <see cref="BlockedNodes"/> nodes) the order is
/// random by blocks of <see cref="Block"/> consecutive nodes: the blocks are shuffled (by the seed), the nodes inside
/// a block keep their order. Neighbouring ids are usually neighbours in the graph (generators, first-seen numbering,
/// and aggregation all number that way), so a block's rows and communities stay in cache, where a fully random order
/// misses the cache on nearly every row of a graph that does not fit in it.
/// </para>
/// <para>
/// A community's summed edge weight to the visited node and its total degree sit side by side in one array of
/// <see cref="CommunityScore"/> pairs: scoring a neighbouring community reads both, and on a graph that does not fit in the
/// cache that is one miss instead of two.
/// </para>
/// <para>
/// With margins (Leiden's aggregate levels), a visit also keeps the node's margin: the gain of its choice over the
/// runner-up's (an empty community's 0 counted as a runner-up). When a neighbour v moves from community A to C, a node u
/// outside C gains at most <c>w_uv</c> more for joining C, and, in A, loses at most <c>w_uv</c> of its gain for staying:
/// its margin is lowered by that, and u is queued only once the margin is used up; otherwise a visit would make the
/// same choice. Community totals move the gains too (by <c>k_u k_v gamma/2m</c> a move), which the margins leave out,
/// as the plain queue leaves them out for all but the neighbours. On an aggregate level a node is a refined subset with
/// a long row and a large margin over most of its neighbours' moves: on the 200k-node planted graphs the margins took
/// a third of the visits off the first aggregate level and about a tenth off local moving's CPU over a run; the mean
/// modularity over seeds 1, 2, 3 and 42 stayed within 0.0001 of the plain queue's in 8 cells of the sweep (0.002 lower
/// at 40 % mixing / 100 groups, 0.04 above igraph's there). On the full graph, where rows are short and weights alike,
/// they took a tenth of the visits off and cost about as much in bookkeeping, so they are off there.
/// </para>
/// </summary>
internal sealed class FastLocalMoving
{
    internal const int Block = 128;
    internal const int BlockedNodes = 1 << 16;

    // visits ahead of the current one at which a queued node's row bounds, row, neighbours' communities, and their
    // scores are prefetched (from BlockedNodes nodes: smaller levels fit in the cache)
    private const int PrefetchOffsets = 16;
    private const int PrefetchRow = 8;
    private const int PrefetchPartition = 4;
    private const int PrefetchScores = 1;

    private readonly int[] _offsets;
    private readonly int[] _targets;
    private readonly double[] _weights;
    private readonly double[] _degrees;
    private readonly double _scale;
    private readonly int[] _partition;
    private readonly CommunityScore[] _communities;
    private readonly int[] _size;
    private readonly int[] _empty;
    private readonly int[] _touched;   // the communities with a weight, to reset them
    private readonly double[]? _margin; // per node, with margins: see the class summary (unset until its first visit)
    private int _emptyCount;

    private FastLocalMoving(CsrGraph g, int[] partition, double resolution, bool margins)
    {
        _offsets = g.Offsets;
        _targets = g.Targets;
        _weights = g.Weights;
        _degrees = g.Degrees;
        _scale = resolution / g.TotalWeight;
        _partition = partition;
        var n = g.NodeCount;
        _communities = PooledArray.Rent<CommunityScore>(n);
        _size = PooledArray.Rent<int>(n);
        for (var v = 0; v < n; v++)
        {
            _communities[partition[v]].Total += _degrees[v];
            _size[partition[v]]++;
        }

        _empty = PooledArray.RentUncleared<int>(n);
        _touched = PooledArray.RentUncleared<int>(n);

        // a node's margin is read only after its first visit: every node is queued from the start, and a queued node
        // is not queued twice, so what its margin holds before that visit does not matter
        _margin = margins ? PooledArray.RentUncleared<double>(n) : null;
        for (var c = n - 1; c >= 0; c--)
        {
            if (_size[c] == 0)
            {
                _empty[_emptyCount++] = c;
            }
        }
    }

    /// <summary>
    /// Moves nodes of <paramref name="g"/> between the communities of <paramref name="partition"/> (ids below the node
    /// count) until no move gains, or until <paramref name="maxVisitsPerNode"/> visits a node on average have been
    /// made (0: no limit); returns the modularity gained. With <paramref name="margins"/>, a neighbour of a moved node is
    /// queued only when the move may have changed its choice (see the class summary).
    /// </summary>
    public static double Run(CsrGraph g, int[] partition, double resolution, SplitMix64 random, int maxVisitsPerNode = 0, bool margins = false) =>
        Run(g, partition, resolution, random, maxVisitsPerNode, margins, null, out _);

    /// <summary>
    /// As <see cref="Run(CsrGraph, int[], double, SplitMix64, int, bool)"/>, with the queue starting with the nodes
    /// flagged in <paramref name="only"/> (null: all); <paramref name="converged"/> says whether it stopped because no
    /// node was queued any more (every node's last visit found no gaining move, and no neighbour moved since), not at
    /// the visit limit.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Run(CsrGraph g, int[] partition, double resolution, SplitMix64 random, int maxVisitsPerNode, bool margins, bool[]? only,
        out bool converged)
    {
        var moving = new FastLocalMoving(g, partition, resolution, margins);
        var queue = new NodeQueue(0, g.NodeCount, g.NodeCount >= BlockedNodes ? Block : 1, random, only);
        var visitsLeft = maxVisitsPerNode > 0 ? (long)maxVisitsPerNode * g.NodeCount : long.MaxValue;
        var prefetch = g.NodeCount >= BlockedNodes;
        double gain = 0;
        while (visitsLeft-- > 0 && queue.TryTake(out var v))
        {
            if (prefetch)
            {
                moving.Prefetch(queue);
            }

            gain += moving.Visit(v, queue);
        }

        converged = queue.Count == 0;
        queue.ReturnToPool();
        moving.ReturnToPool();

        // a move's gain here is (w_vc - k_v tot_c gamma/2m) - (the same for the community left): Q changes by 2/2m of it
        return g.TotalWeight > 0 ? 2 * gain / g.TotalWeight : 0;
    }

    private void ReturnToPool()
    {
        PooledArray.Return(_communities);
        PooledArray.Return(_size);
        PooledArray.Return(_empty);
        PooledArray.Return(_touched);
        PooledArray.Return(_margin);
    }

    /// <summary>
    /// The community with the largest gain for a node of community <paramref name="own"/> and degree
    /// <paramref name="kv"/> whose row is <paramref name="targets"/>/<paramref name="weights"/>: the edge weight to each
    /// neighbouring community is summed in its <see cref="CommunityScore.Weight"/> (zero before and after) with the
    /// communities listed in <paramref name="touched"/>; the gain of c is <c>w_vc - k_v tot_c gamma/2m</c> (of staying:
    /// <paramref name="stayGain"/>, with v's own degree out of its community's total). Returns <paramref name="own"/>
    /// when nothing gains more than staying. <paramref name="runnerUp"/> is at least the second-best gain among staying,
    /// the other neighbouring communities and an empty community (0): never below it, so a margin taken from it is never
    /// too large.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    internal static int BestCommunity(ReadOnlySpan<int> targets, ReadOnlySpan<double> weights, int[] partition, CommunityScore[] communities,
        int[] touched, int own, double kv, double ks, out double stayGain, out double bestGain, out double runnerUp)
    {
        // v's own community is summed like the others (in row order, as a separate sum would be): no branch on it per
        // edge, and none on whether a community is new to the list (its slot is written either way, kept only when
        // it is): both are unpredictable on a row whose neighbours sit in many communities
        var touchedCount = 0;
        for (var e = 0; e < targets.Length; e++)
        {
            var c = partition[targets[e]];
            ref var community = ref communities[c];
            touched[touchedCount] = c;
            touchedCount += community.Weight == 0 ? 1 : 0; // a zero-weight edge may list c twice: harmless, it is reset twice
            community.Weight += weights[e];
        }

        ref var ownScore = ref communities[own];
        var best = own;
        stayGain = ownScore.Weight - (ks * (ownScore.Total - kv));
        bestGain = stayGain;
        runnerUp = 0;
        ownScore.Weight = 0;
        for (var t = 0; t < touchedCount; t++)
        {
            var c = touched[t];
            ref var community = ref communities[c];
            var gain = community.Weight - (ks * community.Total);
            community.Weight = 0;

            // the runner-up without a branch: the lower of this gain and the best so far (own's slot scores below its
            // real gain here, which can only raise the runner-up)
            runnerUp = Math.Max(runnerUp, Math.Min(gain, bestGain));
            if (gain > bestGain && c != own)
            {
                best = c;
                bestGain = gain;
            }
        }

        return best;
    }

    /// <summary>
    /// Prefetch hints for the nodes queued next, in four steps so each finds the previous one's data in cache: the row
    /// bounds and degree of the node <see cref="PrefetchOffsets"/> visits ahead, its row at <see cref="PrefetchRow"/>
    /// ahead, its neighbours' communities at <see cref="PrefetchPartition"/> ahead, and the scores of those communities
    /// at <see cref="PrefetchScores"/> ahead. On the 200k-node planted graphs the last three took a fifth off the first
    /// level's local moving, the first another tenth (the same moves: hints change no result).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Prefetch(NodeQueue queue)
    {
        var farthest = queue.Peek(PrefetchOffsets);
        if (farthest >= 0)
        {
            CachePrefetch.Element(_offsets, farthest);
            CachePrefetch.Element(_degrees, farthest);
        }

        var far = queue.Peek(PrefetchRow);
        if (far >= 0)
        {
            CachePrefetch.Element(_targets, _offsets[far]);
            CachePrefetch.Element(_weights, _offsets[far]);
        }

        var middle = queue.Peek(PrefetchPartition);
        if (middle >= 0)
        {
            for (var e = _offsets[middle]; e < _offsets[middle + 1]; e++)
            {
                CachePrefetch.Element(_partition, _targets[e]);
            }
        }

        var near = queue.Peek(PrefetchScores);
        if (near >= 0)
        {
            for (var e = _offsets[near]; e < _offsets[near + 1]; e++)
            {
                CachePrefetch.Element(_communities, _partition[_targets[e]]);
            }
        }
    }

    // Moves v to its best community if that gains; queues its neighbours outside the new community (with margins, those
    // whose margin the move used up). Returns the gain.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double Visit(int v, NodeQueue queue)
    {
        var partition = _partition;
        var communities = _communities;
        var start = _offsets[v];
        var length = _offsets[v + 1] - start;
        var targets = _targets.AsSpan(start, length);
        var weights = _weights.AsSpan(start, length);
        var own = partition[v];
        var kv = _degrees[v];
        var best = BestCommunity(targets, weights, partition, communities, _touched, own, kv, kv * _scale, out var stayGain, out var bestGain, out var runnerUp);
        if (bestGain < 0 && _size[own] > 1 && _emptyCount > 0)
        {
            best = _empty[--_emptyCount];
            bestGain = 0;
            runnerUp = 0;
        }

        var margin = _margin;
        if (margin is not null)
        {
            margin[v] = bestGain - runnerUp;
        }

        if (best == own)
        {
            return 0;
        }

        partition[v] = best;
        communities[own].Total -= kv;
        communities[best].Total += kv;
        _size[own]--;
        _size[best]++;
        if (_size[own] == 0)
        {
            _empty[_emptyCount++] = own;
        }

        if (margin is null)
        {
            foreach (var u in targets)
            {
                if (partition[u] != best)
                {
                    queue.Add(u);
                }
            }
        }
        else
        {
            for (var e = 0; e < targets.Length; e++)
            {
                var u = targets[e];
                var c = partition[u];
                if (c == best)
                {
                    continue;
                }

                // in the community left, staying lost w_uv as well
                var left = margin[u] - (c == own ? 2 * weights[e] : weights[e]);
                margin[u] = left;
                if (left < 0)
                {
                    queue.Add(u);
                }
            }
        }

        return bestGain - stayGain;
    }
}
