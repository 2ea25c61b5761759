using System.Runtime.CompilerServices;

namespace Unitization.DataManager.Communities;

/// <summary>
/// The Leiden algorithm (Traag, Waltman and van Eck, "From Louvain to Leiden: guaranteeing well-connected
/// communities", Scientific Reports 9, 2019) for weighted modularity with a resolution parameter, on CSR arrays.
/// Each level runs the fast (queue-based) local moving phase (on aggregate levels a moved node's neighbours are queued
/// only when the move may change their choice: <see cref="FastLocalMoving"/>'s margins), refines every community from
/// singletons merging only well-connected nodes into well-connected subsets (so refined communities are connected), and
/// aggregates the graph on the refined partition (<see cref="Aggregation"/>) while the aggregate starts from the
/// unrefined one. Refinement and aggregation run in parallel over communities, each with a random stream derived from
/// the seed and the community, so the result depends on the seed only. When more iterations follow, the first one
/// aggregates on the moved partition (as Louvain does) and only the later ones refine
/// (<see cref="LeidenOptions.RefineFirstIteration"/>). A level's local moving stops after
/// <see cref="LeidenOptions.MaxVisitsPerNode"/> visits a node on the full graph,
/// <see cref="LeidenOptions.MaxVisitsPerAggregateNode"/> on an aggregate level, and the last iteration is followed by
/// one local moving on the full graph (<see cref="LeidenOptions.FinalMove"/>).
/// A last pass splits any community that is not connected into its components, which can only raise modularity, so
/// every community returned is connected.
/// </summary>
internal static class Leiden
{
    public static LeidenResult Run(CsrGraph graph, LeidenOptions options, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(options);
        if (!(options.Resolution > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Resolution must be positive.");
        }

        var n = graph.NodeCount;
        var current = PooledArray.RentUncleared<int>(n);
        var next = PooledArray.RentUncleared<int>(n);
        for (var i = 0; i < n; i++)
        {
            current[i] = i;
        }

        var iterations = 0;
        var limit = options.Iterations < 0 ? int.MaxValue : Math.Max(1, options.Iterations);
        if (graph.TotalWeight > 0)
        {
            for (var iteration = 0; iteration < limit; iteration++)
            {
                iterations++;
                var last = iteration + 1 == limit && options.FinalMove;
                var firstLevel = last ? PooledArray.RentUncleared<int>(n) : null;
                // the first of several iterations does not refine: see LeidenOptions.RefineFirstIteration
                var refine = iteration > 0 || limit == 1 || options.RefineFirstIteration;
                RunIteration(graph, current, next, options, iteration, refine, firstLevel, out var settled, out var firstConverged);
                var changed = !next.AsSpan(0, n).SequenceEqual(current.AsSpan(0, n));
                (current, next) = (next, current);
                progress?.Report(options.Iterations < 0 ? 1 - Math.Pow(0.5, iteration + 1) : (iteration + 1.0) / limit);
                if (!changed || settled)
                {
                    PooledArray.Return(firstLevel);
                    break;
                }

                if (last)
                {
                    // the first phase of the iteration that would come next (its random stream): single nodes move
                    // after the levels moved whole subsets; when the iteration's first level ended with no node gaining
                    // a move, only the nodes around the communities the levels changed are queued at the start
                    var only = firstConverged ? Unsettled(graph, firstLevel!, current) : null;
                    FastLocalMoving.Run(graph, current, options.Resolution, SplitMix64.For(options.Seed, (long)limit << 32, -1), options.MaxVisitsPerNode,
                        margins: false, only, out _);
                    PooledArray.Return(only);
                }

                PooledArray.Return(firstLevel);
            }
        }

        var membership = current.AsSpan(0, n).ToArray();
        PooledArray.Return(current);
        PooledArray.Return(next);
        var count = SplitDisconnected(graph, membership, options.Resolution, out var modularity);
        progress?.Report(1.0);
        return new LeidenResult(membership, count, modularity, iterations);
    }

    // One Leiden iteration from the partition start, its levels aggregated on refined communities when refine holds,
    // else on the moved ones (Louvain's aggregation); writes the new partition, numbered by lowest node, to result, and
    // to firstLevel (when given) the partition its first level's local moving ended with; firstConverged: that local
    // moving ran until no node was queued (as the queue judges it, no single node gained a move in that partition).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunIteration(CsrGraph graph, int[] start, int[] result, LeidenOptions options, int iteration, bool refine, int[]? firstLevel,
        out bool settled, out bool firstConverged)
    {
        settled = false;
        firstConverged = true;
        var g = graph;
        var n = graph.NodeCount;
        var partition = PooledArray.RentUncleared<int>(n);
        Array.Copy(start, partition, n);
        Renumber(partition.AsSpan(0, n));
        var toAggregate = PooledArray.RentUncleared<int>(n);
        for (var i = 0; i < n; i++)
        {
            toAggregate[i] = i;
        }

        for (var level = 0; ; level++)
        {
            var stream = ((long)iteration << 32) | (uint)level;
            var random = SplitMix64.For(options.Seed, stream, -1);
            var gain = double.PositiveInfinity; // the modularity gained, when it is known (needed)
            var settling = iteration > 0 && level == 0;
            var converged = true; // the lanes run until no node is queued (or one queue does, without a limit)
            if (g.NodeCount >= options.LaneMinNodes)
            {
                var before = settling ? Modularity.Compute(g, partition.AsSpan(0, g.NodeCount), options.Resolution, options.MaxDegreeOfParallelism) : 0;
                ParallelLocalMoving.Run(g, partition, options.Resolution, random, options.MaxDegreeOfParallelism);
                if (settling)
                {
                    gain = Modularity.Compute(g, partition.AsSpan(0, g.NodeCount), options.Resolution, options.MaxDegreeOfParallelism) - before;
                }
            }
            else
            {
                gain = level == 0
                    ? FastLocalMoving.Run(g, partition, options.Resolution, random, options.MaxVisitsPerNode, margins: false, null, out converged)
                    : FastLocalMoving.Run(g, partition, options.Resolution, random,
                        refine ? options.MaxVisitsPerAggregateNode : options.FirstIterationMaxVisitsPerAggregateNode, margins: true, null, out converged);
            }

            var communities = Renumber(partition.AsSpan(0, g.NodeCount));
            if (level == 0)
            {
                firstConverged = converged;
                if (firstLevel is not null)
                {
                    Array.Copy(partition, firstLevel, n);
                }
            }
            if (settling && gain < options.Tolerance)
            {
                // a later iteration whose moves on the full graph gained under the tolerance: the partition has
                // settled, so its refinement and aggregation levels are skipped (the moved partition is the result)
                settled = true;
                break;
            }

            if (communities == g.NodeCount)
            {
                break;
            }

            var refined = refine ? Refine(g, partition, communities, options, stream) : null;
            var refinedCount = refined is null ? 0 : Renumber(refined.AsSpan(0, g.NodeCount));
            if (refined is null || refinedCount == g.NodeCount)
            {
                // no refinement, or one that merged nothing: aggregate on the moved partition itself (so the level
                // still shrinks)
                refined ??= PooledArray.RentUncleared<int>(g.NodeCount);
                Array.Copy(partition, refined, g.NodeCount);
                refinedCount = communities;
            }

            var aggregatePartition = PooledArray.RentUncleared<int>(refinedCount);
            for (var v = 0; v < g.NodeCount; v++)
            {
                aggregatePartition[refined[v]] = partition[v];
            }

            for (var i = 0; i < n; i++)
            {
                toAggregate[i] = refined[toAggregate[i]];
            }

            var aggregate = Aggregation.Run(g, refined, refinedCount, options.MaxDegreeOfParallelism);
            PooledArray.Return(refined);
            PooledArray.Return(partition);
            g.ReturnToPool();
            g = aggregate;
            partition = aggregatePartition;
        }

        for (var i = 0; i < n; i++)
        {
            result[i] = partition[toAggregate[i]];
        }

        g.ReturnToPool();
        PooledArray.Return(partition);
        PooledArray.Return(toAggregate);
        Renumber(result.AsSpan(0, n));
    }

    /// <summary>
    /// The nodes a local moving from <paramref name="after"/> needs to visit when no single node gained a move in
    /// <paramref name="before"/> (a local moving's queue emptied there): those of a community that is not exactly a
    /// community of <paramref name="before"/> (the levels split it, merged it or moved subsets in or out), and their
    /// neighbours. Any other node, and each of its neighbours, sits in a community with the same members as before, so
    /// it is offered the same communities with the same weights and totals, where none gained: a visit would leave it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool[] Unsettled(CsrGraph g, int[] before, int[] after)
    {
        var n = g.NodeCount;

        // a community of before is split when its nodes end in different communities of after; a community of after
        // is merged when its nodes come from different communities of before (both numbered below n)
        var image = PooledArray.RentUncleared<int>(n);
        var source = PooledArray.RentUncleared<int>(n);
        image.AsSpan(0, n).Fill(-1);
        source.AsSpan(0, n).Fill(-1);
        var split = PooledArray.Rent<bool>(n);
        var merged = PooledArray.Rent<bool>(n);
        for (var v = 0; v < n; v++)
        {
            var (b, a) = (before[v], after[v]);
            image[b] = image[b] < 0 ? a : image[b];
            source[a] = source[a] < 0 ? b : source[a];
            split[b] |= image[b] != a;
            merged[a] |= source[a] != b;
        }

        var only = PooledArray.Rent<bool>(n);
        for (var v = 0; v < n; v++)
        {
            if (split[before[v]] || merged[after[v]])
            {
                only[v] = true;
                foreach (var u in g.Targets.AsSpan(g.Offsets[v], g.Offsets[v + 1] - g.Offsets[v]))
                {
                    only[u] = true;
                }
            }
        }

        PooledArray.Return(image);
        PooledArray.Return(source);
        PooledArray.Return(split);
        PooledArray.Return(merged);
        return only;
    }

    /// <summary>
    /// Refinement: inside each community, start from singletons and visit nodes in random order; a node still alone
    /// and well connected to its community joins the well-connected refined subset with the largest gain (if not
    /// negative). A node only ever joins a subset it has an edge to, so every refined community is connected.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int[] Refine(CsrGraph g, int[] partition, int communities, LeidenOptions options, long stream)
    {
        var n = g.NodeCount;
        var offsets = g.Offsets;
        var targets = g.Targets;
        var weights = g.Weights;
        var degrees = g.Degrees;
        var scale = options.Resolution / g.TotalWeight;

        var start = PooledArray.Rent<int>(communities + 1);
        var communityTotal = PooledArray.Rent<double>(communities);
        for (var v = 0; v < n; v++)
        {
            start[partition[v] + 1]++;
            communityTotal[partition[v]] += degrees[v];
        }

        for (var c = 0; c < communities; c++)
        {
            start[c + 1] += start[c];
        }

        var members = PooledArray.RentUncleared<int>(n);
        var fill = PooledArray.RentUncleared<int>(communities + 1);
        Array.Copy(start, fill, communities + 1);
        for (var v = 0; v < n; v++)
        {
            members[fill[partition[v]]++] = v;
        }

        var refined = PooledArray.RentUncleared<int>(n);
        var refinedTotal = PooledArray.RentUncleared<double>(n);
        var refinedSize = PooledArray.RentUncleared<int>(n);
        var external = PooledArray.RentUncleared<double>(n);
        var neighbourWeight = PooledArray.Rent<double>(n);
        var mark = PooledArray.Rent<int>(n);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism };
        var chunks = BalancedChunks.Split(communities, start, options.MaxDegreeOfParallelism * 8);
        PooledArray.Return(fill);
        Parallel.For(0, chunks.Length - 1, parallel, chunk =>
        {
            var touched = new int[64];
            var order = new int[64];
            for (var c = chunks[chunk]; c < chunks[chunk + 1]; c++)
            {
                // each member a singleton subset, with its weight to the rest of the community (its rows are read
                // again just below, while they are in cache)
                foreach (var v in members.AsSpan(start[c], start[c + 1] - start[c]))
                {
                    refined[v] = v;
                    refinedTotal[v] = degrees[v];
                    refinedSize[v] = 1;
                    var rowStart = offsets[v];
                    var rowLength = offsets[v + 1] - rowStart;
                    external[v] = WeightInside(targets.AsSpan(rowStart, rowLength), weights.AsSpan(rowStart, rowLength), partition, c);
                }

                var length = start[c + 1] - start[c];
                if (length < 2)
                {
                    continue;
                }

                if (order.Length < length)
                {
                    order = new int[Math.Max(length, 2 * order.Length)];
                }

                var shuffled = order.AsSpan(0, length);
                members.AsSpan(start[c], length).CopyTo(shuffled);
                var random = SplitMix64.For(options.Seed, stream, c);
                random.Shuffle(shuffled);
                var totalC = communityTotal[c];
                foreach (var v in shuffled)
                {
                    var kv = degrees[v];
                    if (refined[v] != v || refinedSize[v] != 1 || external[v] < kv * (totalC - kv) * scale)
                    {
                        continue;
                    }

                    var rowStart = offsets[v];
                    var rowLength = offsets[v + 1] - rowStart;
                    if (touched.Length < rowLength)
                    {
                        touched = new int[Math.Max(rowLength, 2 * touched.Length)];
                    }

                    var touchedCount = 0;
                    var row = targets.AsSpan(rowStart, rowLength);
                    var rowWeights = weights.AsSpan(rowStart, rowLength);
                    for (var e = 0; e < row.Length; e++)
                    {
                        var t = row[e];
                        if (partition[t] != c)
                        {
                            continue;
                        }

                        // the subset listed without a branch on whether it is new (unpredictable): its slot is
                        // written either way and kept only when it is
                        var s = refined[t];
                        touched[touchedCount] = s;
                        touchedCount += mark[s] != v + 1 ? 1 : 0;
                        mark[s] = v + 1;
                        neighbourWeight[s] += rowWeights[e];
                    }

                    var best = v;
                    double bestGain = 0;
                    for (var i = 0; i < touchedCount; i++)
                    {
                        var s = touched[i];
                        var ts = refinedTotal[s];
                        if (external[s] < ts * (totalC - ts) * scale)
                        {
                            continue;
                        }

                        var gain = neighbourWeight[s] - (kv * ts * scale);
                        if (gain > bestGain)
                        {
                            best = s;
                            bestGain = gain;
                        }
                    }

                    if (best != v)
                    {
                        refined[v] = best;
                        refinedTotal[best] += kv;
                        refinedSize[best]++;
                        external[best] += external[v] - (2 * neighbourWeight[best]);
                    }

                    for (var i = 0; i < touchedCount; i++)
                    {
                        neighbourWeight[touched[i]] = 0;
                    }
                }
            }
        });

        PooledArray.Return(start);
        PooledArray.Return(communityTotal);
        PooledArray.Return(members);
        PooledArray.Return(refinedTotal);
        PooledArray.Return(refinedSize);
        PooledArray.Return(external);
        PooledArray.Return(neighbourWeight);
        PooledArray.Return(mark);

        // refined ids are founders: a node joins a subset only while alone, and a founder never leaves once joined
        return refined;
    }

    // The weight of a row's edges into community c, summed in row order.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double WeightInside(ReadOnlySpan<int> row, ReadOnlySpan<double> rowWeights, int[] partition, int c)
    {
        double w = 0;
        for (var e = 0; e < row.Length; e++)
        {
            if (partition[row[e]] == c)
            {
                w += rowWeights[e];
            }
        }

        return w;
    }

    /// <summary>Renumbers community ids to <c>0..k-1</c> in order of their lowest node; returns k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int Renumber(Span<int> partition)
    {
        var max = -1;
        foreach (var c in partition)
        {
            max = Math.Max(max, c);
        }

        if (max < 4 * partition.Length + 16)
        {
            var ids = PooledArray.RentUncleared<int>(max + 1);
            ids.AsSpan(0, max + 1).Fill(-1);
            var next = 0;
            for (var i = 0; i < partition.Length; i++)
            {
                var c = partition[i];
                if (ids[c] < 0)
                {
                    ids[c] = next++;
                }

                partition[i] = ids[c];
            }

            PooledArray.Return(ids);
            return next;
        }

        var map = new Dictionary<int, int>();
        for (var i = 0; i < partition.Length; i++)
        {
            if (!map.TryGetValue(partition[i], out var id))
            {
                id = map.Count;
                map[partition[i]] = id;
            }

            partition[i] = id;
        }

        return map.Count;
    }

    /// <summary>Splits every community that is not connected into its connected components; returns the community count.</summary>
    internal static int SplitDisconnected(CsrGraph g, int[] membership) => SplitDisconnected(g, membership, 1.0, out _);

    /// <summary>
    /// Splits every community that is not connected into its connected components; returns the community count, and
    /// the modularity of the split partition as <see cref="Modularity.Compute(CsrGraph, ReadOnlySpan{int}, double, int)"/>
    /// gives it (each node's weight inside its community summed in row order while the pass reads the row, the nodes'
    /// sums added by community in node order: the same sums in the same order, without another pass over the edges).
    /// One pass over the rows in node order joins each node to its lower neighbours of the same community (union-find,
    /// each component's root its lowest node, paths halved); a second numbers the components by their lowest node. The
    /// rows are read in order, where a depth-first search jumps from row to row: on the 200k-node planted graphs this
    /// took the pass from 25-29 ms to 12-13 ms, with the same result.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int SplitDisconnected(CsrGraph g, int[] membership, double resolution, out double modularity)
    {
        var n = g.NodeCount;
        var offsets = g.Offsets;
        var targets = g.Targets;
        var weights = g.Weights;
        var selfLoops = g.SelfLoops;
        var root = PooledArray.RentUncleared<int>(n);
        var nodeInside = PooledArray.RentUncleared<double>(n);
        for (var v = 0; v < n; v++)
        {
            root[v] = v;
            var c = membership[v];
            var inside = selfLoops[v];
            var end = offsets[v + 1];
            for (var e = offsets[v]; e < end; e++)
            {
                var t = targets[e];
                if (membership[t] != c)
                {
                    continue;
                }

                // a lower neighbour in the same community is in the same component: the two roots joined, the lower
                // one kept
                inside += weights[e];
                if (t < v)
                {
                    var a = Find(root, v);
                    var b = Find(root, t);
                    root[Math.Max(a, b)] = Math.Min(a, b);
                }
            }

            nodeInside[v] = inside;
        }

        // the components numbered by their lowest node, their roots: a root is numbered before any other member
        var next = 0;
        for (var v = 0; v < n; v++)
        {
            var r = Find(root, v);
            if (r == v)
            {
                membership[v] = next;
                root[v] = ~next++;
            }
            else
            {
                membership[v] = ~root[r];
            }
        }

        PooledArray.Return(root);
        modularity = Modularity.FromNodeInside(g, membership, nodeInside, next, resolution);
        PooledArray.Return(nodeInside);
        return next;
    }

    // The root of v's component, halving the path on the way; a numbered root holds its number complemented (negative).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Find(int[] root, int v)
    {
        while (true)
        {
            var parent = root[v];
            if (parent == v || parent < 0)
            {
                return v;
            }

            var grandparent = root[parent];
            if (grandparent == parent || grandparent < 0)
            {
                return parent;
            }

            root[v] = grandparent;
            v = grandparent;
        }
    }
}
