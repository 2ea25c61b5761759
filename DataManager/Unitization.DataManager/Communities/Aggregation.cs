using System.Runtime.CompilerServices;

namespace Unitization.DataManager.Communities;

/// <summary>Leiden's aggregation: the graph of a level's refined communities, for the next level.</summary>
internal static class Aggregation
{
    // members ahead of the current one at which a member's row, then its targets' aggregate ids, are prefetched
    private const int PrefetchRow = 8;
    private const int PrefetchIds = 4;

    /// <summary>
    /// The aggregate graph: one node per refined community, edge weights summed, inner weight as self-loops. Nodes are
    /// bucketed by community with a counting sort; each row is written at its upper bound (the members' row lengths)
    /// with a dense slot table merging parallel edges, rows in parallel, then the rows are packed. On big levels (from
    /// <see cref="FastLocalMoving.BlockedNodes"/> nodes) the rows and the aggregate ids of their targets are prefetched
    /// a few members ahead (<see cref="Prefetch"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static CsrGraph Run(CsrGraph g, int[] refined, int count, int parallelism)
    {
        var offsets = g.Offsets;
        var targets = g.Targets;
        var weights = g.Weights;
        var nodeSelfLoops = g.SelfLoops;
        var n = g.NodeCount;
        var start = PooledArray.Rent<int>(count + 1);
        var bound = PooledArray.Rent<int>(count + 1);
        for (var v = 0; v < n; v++)
        {
            start[refined[v] + 1]++;
            bound[refined[v] + 1] += offsets[v + 1] - offsets[v];
        }

        for (var a = 0; a < count; a++)
        {
            start[a + 1] += start[a];
            bound[a + 1] += bound[a];
        }

        var members = PooledArray.RentUncleared<int>(n);
        var fill = PooledArray.RentUncleared<int>(count + 1);
        Array.Copy(start, fill, count + 1);
        for (var v = 0; v < n; v++)
        {
            members[fill[refined[v]]++] = v;
        }

        PooledArray.Return(fill);
        var chunks = BalancedChunks.Split(count, bound, parallelism * 4);
        var prefetch = n >= FastLocalMoving.BlockedNodes;

        // rows are written at their bounds, then packed to the left in place: these become the aggregate's arrays
        var newTargets = PooledArray.RentUncleared<int>(bound[count]);
        var newWeights = PooledArray.RentUncleared<double>(bound[count]);
        var rowLength = PooledArray.RentUncleared<int>(count);
        var selfLoops = PooledArray.RentUncleared<double>(count);
        Parallel.For(0, chunks.Length - 1, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, () => (int[]?)null, (block, _, slot) =>
        {
            if (slot is null)
            {
                slot = PooledArray.RentUncleared<int>(count);
                slot.AsSpan(0, count).Fill(-1);
            }

            for (var a = chunks[block]; a < chunks[block + 1]; a++)
            {
                var rowStart = bound[a];
                var write = rowStart;
                double self = 0;
                for (var m = start[a]; m < start[a + 1]; m++)
                {
                    if (prefetch)
                    {
                        Prefetch(members, m, n, offsets, targets, weights, refined);
                    }

                    var v = members[m];
                    self += nodeSelfLoops[v];
                    var from = offsets[v];
                    var length = offsets[v + 1] - from;
                    AddRow(targets.AsSpan(from, length), weights.AsSpan(from, length), refined, a, slot, newTargets, newWeights, ref write, ref self);
                }

                for (var i = rowStart; i < write; i++)
                {
                    slot[newTargets[i]] = -1;
                }

                selfLoops[a] = self;
                rowLength[a] = write - rowStart;
            }

            return slot;
        }, PooledArray.Return);

        var newOffsets = PooledArray.RentUncleared<int>(count + 1);
        newOffsets[0] = 0;
        for (var a = 0; a < count; a++)
        {
            newOffsets[a + 1] = newOffsets[a] + rowLength[a];

            // the destination ends at or before this row's source end, and before the next row's source begins
            if (newOffsets[a] != bound[a])
            {
                Array.Copy(newTargets, bound[a], newTargets, newOffsets[a], rowLength[a]);
                Array.Copy(newWeights, bound[a], newWeights, newOffsets[a], rowLength[a]);
            }
        }

        PooledArray.Return(start);
        PooledArray.Return(bound);
        PooledArray.Return(members);
        PooledArray.Return(rowLength);
        return new CsrGraph(count, newOffsets, newTargets, newWeights, selfLoops, PooledArray.RentUncleared<double>(count), pooled: true);
    }

    // One member's row added to aggregate row a: an edge inside a to its self-loop, others merged by their aggregate
    // node through slot (its index in the row being written, -1 when not in it yet).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRow(ReadOnlySpan<int> row, ReadOnlySpan<double> rowWeights, int[] refined, int a, int[] slot,
        int[] newTargets, double[] newWeights, ref int write, ref double self)
    {
        for (var e = 0; e < row.Length; e++)
        {
            var b = refined[row[e]];
            if (b == a)
            {
                self += rowWeights[e];
                continue;
            }

            var s = slot[b];
            if (s < 0)
            {
                slot[b] = write;
                newTargets[write] = b;
                newWeights[write++] = rowWeights[e];
            }
            else
            {
                newWeights[s] += rowWeights[e];
            }
        }
    }

    /// <summary>
    /// Prefetch hints for the members processed after member <paramref name="m"/> (positions in
    /// <paramref name="members"/>, of which there are <paramref name="n"/>): the row <see cref="PrefetchRow"/> members
    /// ahead, and the aggregate ids of that row's targets once it is <see cref="PrefetchIds"/> ahead. On the 200k-node
    /// planted graphs this took about an eighth off aggregation (the same graph: hints change no result).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Prefetch(int[] members, int m, int n, int[] offsets, int[] targets, double[] weights, int[] refined)
    {
        if (m + PrefetchRow < n)
        {
            var w = members[m + PrefetchRow];
            CachePrefetch.Element(targets, offsets[w]);
            CachePrefetch.Element(weights, offsets[w]);
        }

        if (m + PrefetchIds < n)
        {
            var w = members[m + PrefetchIds];
            for (var e = offsets[w]; e < offsets[w + 1]; e++)
            {
                CachePrefetch.Element(refined, targets[e]);
            }
        }
    }
}
