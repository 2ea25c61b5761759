using System.Runtime.CompilerServices;

namespace Unitization.DataManager.Communities;

/// <summary>
/// The Leiden algorithm (Traag, Waltman and van Eck, "From Louvain to Leiden: guaranteeing well-connected
/// communities", Scientific Reports 9, 2019) for weighted modularity with a resolution parameter, on CSR arrays.
/// Each level runs the fast (queue-based) local moving phase, refines every community from singletons merging only
/// well-connected nodes into well-connected subsets (so refined communities are connected), and aggregates the graph
/// on the refined partition while the aggregate starts from the unrefined one. Refinement and aggregation run in
/// parallel over communities, each with a random stream derived from the seed and the community, so the result
/// depends on the seed only. A last pass splits any community that is not connected into its components, which can
/// only raise modularity, so every community returned is connected.
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
        var membership = new int[n];
        for (var i = 0; i < n; i++)
        {
            membership[i] = i;
        }

        var iterations = 0;
        var limit = options.Iterations < 0 ? int.MaxValue : Math.Max(1, options.Iterations);
        if (graph.TotalWeight > 0)
        {
            for (var iteration = 0; iteration < limit; iteration++)
            {
                iterations++;
                var next = RunIteration(graph, membership, options, iteration, out var settled);
                var changed = !next.AsSpan().SequenceEqual(membership);
                membership = next;
                progress?.Report(options.Iterations < 0 ? 1 - Math.Pow(0.5, iteration + 1) : (iteration + 1.0) / limit);
                if (!changed || settled)
                {
                    break;
                }
            }
        }

        var count = SplitDisconnected(graph, membership);
        progress?.Report(1.0);
        return new LeidenResult(membership, count, Modularity.Compute(graph, membership, options.Resolution), iterations);
    }

    // One Leiden iteration from the given partition; returns the new partition numbered by lowest node.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int[] RunIteration(CsrGraph graph, int[] start, LeidenOptions options, int iteration, out bool settled)
    {
        settled = false;
        var g = graph;
        var partition = (int[])start.Clone();
        Renumber(partition);
        var toAggregate = new int[graph.NodeCount];
        for (var i = 0; i < toAggregate.Length; i++)
        {
            toAggregate[i] = i;
        }

        for (var level = 0; ; level++)
        {
            var stream = ((long)iteration << 32) | (uint)level;
            var gain = FastLocalMoving.Run(g, partition, options.Resolution, SplitMix64.For(options.Seed, stream, -1));
            var communities = Renumber(partition);
            if (iteration > 0 && level == 0 && gain < options.Tolerance)
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

            var refined = Refine(g, partition, communities, options, stream);
            var refinedCount = Renumber(refined);
            if (refinedCount == g.NodeCount)
            {
                // refinement merged nothing: aggregate on the moved partition itself so the level still shrinks
                Array.Copy(partition, refined, partition.Length);
                refinedCount = communities;
            }

            var aggregatePartition = new int[refinedCount];
            for (var v = 0; v < g.NodeCount; v++)
            {
                aggregatePartition[refined[v]] = partition[v];
            }

            for (var i = 0; i < toAggregate.Length; i++)
            {
                toAggregate[i] = refined[toAggregate[i]];
            }

            g = Aggregate(g, refined, refinedCount, options.MaxDegreeOfParallelism);
            partition = aggregatePartition;
        }

        var result = new int[graph.NodeCount];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = partition[toAggregate[i]];
        }

        Renumber(result);
        return result;
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

        var start = new int[communities + 1];
        foreach (var c in partition)
        {
            start[c + 1]++;
        }

        for (var c = 0; c < communities; c++)
        {
            start[c + 1] += start[c];
        }

        var members = new int[n];
        var fill = (int[])start.Clone();
        for (var v = 0; v < n; v++)
        {
            members[fill[partition[v]]++] = v;
        }

        var communityTotal = new double[communities];
        for (var v = 0; v < n; v++)
        {
            communityTotal[partition[v]] += degrees[v];
        }

        var refined = new int[n];
        var refinedTotal = new double[n];
        var refinedSize = new int[n];
        var external = new double[n];
        var neighbourWeight = new double[n];
        var mark = new int[n];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism };
        Parallel.For(0, n, parallel, () => 0, (v, _, _) =>
        {
            refined[v] = v;
            refinedTotal[v] = degrees[v];
            refinedSize[v] = 1;
            var own = partition[v];
            double w = 0;
            for (var e = offsets[v]; e < offsets[v + 1]; e++)
            {
                if (partition[targets[e]] == own)
                {
                    w += weights[e];
                }
            }

            external[v] = w;
            return 0;
        }, _ => { });

        var chunks = Chunks(communities, start, options.MaxDegreeOfParallelism * 8);
        Parallel.For(0, chunks.Length - 1, parallel, chunk =>
        {
            var touched = new int[64];
            var order = new int[64];
            for (var c = chunks[chunk]; c < chunks[chunk + 1]; c++)
            {
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

                        var s = refined[t];
                        if (mark[s] != v + 1)
                        {
                            mark[s] = v + 1;
                            touched[touchedCount++] = s;
                        }

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

        // refined ids are founders: a node joins a subset only while alone, and a founder never leaves once joined
        return refined;
    }

    // Splits 0..count into ranges of roughly equal member counts (for balanced parallel chunks).
    private static int[] Chunks(int count, int[] start, int pieces)
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

    /// <summary>
    /// The aggregate graph: one node per refined community, edge weights summed, inner weight as self-loops. Nodes are
    /// bucketed by community with a counting sort; each row is written at its upper bound (the members' row lengths)
    /// with a dense slot table merging parallel edges, rows in parallel, then the rows are packed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static CsrGraph Aggregate(CsrGraph g, int[] refined, int count, int parallelism)
    {
        var offsets = g.Offsets;
        var targets = g.Targets;
        var weights = g.Weights;
        var nodeSelfLoops = g.SelfLoops;
        var start = new int[count + 1];
        var bound = new int[count + 1];
        for (var v = 0; v < refined.Length; v++)
        {
            start[refined[v] + 1]++;
            bound[refined[v] + 1] += offsets[v + 1] - offsets[v];
        }

        for (var a = 0; a < count; a++)
        {
            start[a + 1] += start[a];
            bound[a + 1] += bound[a];
        }

        var members = new int[g.NodeCount];
        var fill = (int[])start.Clone();
        for (var v = 0; v < g.NodeCount; v++)
        {
            members[fill[refined[v]]++] = v;
        }

        var chunks = Chunks(count, bound, parallelism * 4);
        var looseTargets = new int[bound[count]];
        var looseWeights = new double[bound[count]];
        var rowLength = new int[count];
        var selfLoops = new double[count];
        Parallel.For(0, chunks.Length - 1, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, () => (int[]?)null, (block, _, slot) =>
        {
            if (slot is null)
            {
                slot = new int[count];
                Array.Fill(slot, -1);
            }

            for (var a = chunks[block]; a < chunks[block + 1]; a++)
            {
                var rowStart = bound[a];
                var write = rowStart;
                double self = 0;
                for (var m = start[a]; m < start[a + 1]; m++)
                {
                    var v = members[m];
                    self += nodeSelfLoops[v];
                    for (var e = offsets[v]; e < offsets[v + 1]; e++)
                    {
                        var b = refined[targets[e]];
                        if (b == a)
                        {
                            self += weights[e];
                            continue;
                        }

                        var s = slot[b];
                        if (s < 0)
                        {
                            slot[b] = write;
                            looseTargets[write] = b;
                            looseWeights[write++] = weights[e];
                        }
                        else
                        {
                            looseWeights[s] += weights[e];
                        }
                    }
                }

                for (var i = rowStart; i < write; i++)
                {
                    slot[looseTargets[i]] = -1;
                }

                selfLoops[a] = self;
                rowLength[a] = write - rowStart;
            }

            return slot;
        }, _ => { });

        var newOffsets = new int[count + 1];
        for (var a = 0; a < count; a++)
        {
            newOffsets[a + 1] = newOffsets[a] + rowLength[a];
        }

        var newTargets = new int[newOffsets[count]];
        var newWeights = new double[newOffsets[count]];
        for (var a = 0; a < count; a++)
        {
            Array.Copy(looseTargets, bound[a], newTargets, newOffsets[a], rowLength[a]);
            Array.Copy(looseWeights, bound[a], newWeights, newOffsets[a], rowLength[a]);
        }

        return new CsrGraph(newOffsets, newTargets, newWeights, selfLoops);
    }

    /// <summary>Renumbers community ids to <c>0..k-1</c> in order of their lowest node; returns k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int Renumber(int[] partition)
    {
        var map = new Dictionary<int, int>();
        var dense = partition.Length > 0 && partition.Max() < 4 * partition.Length + 16;
        if (dense)
        {
            var ids = new int[partition.Max() + 1];
            Array.Fill(ids, -1);
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

            return next;
        }

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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int SplitDisconnected(CsrGraph g, int[] membership)
    {
        var n = g.NodeCount;
        var label = new int[n];
        Array.Fill(label, -1);
        var stack = new Stack<int>();
        var next = 0;
        for (var s = 0; s < n; s++)
        {
            if (label[s] >= 0)
            {
                continue;
            }

            var c = membership[s];
            label[s] = next;
            stack.Push(s);
            while (stack.Count > 0)
            {
                var v = stack.Pop();
                for (var e = g.Offsets[v]; e < g.Offsets[v + 1]; e++)
                {
                    var t = g.Targets[e];
                    if (label[t] < 0 && membership[t] == c)
                    {
                        label[t] = next;
                        stack.Push(t);
                    }
                }
            }

            next++;
        }

        Array.Copy(label, membership, n);
        return next;
    }
}
