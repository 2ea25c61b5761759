using System.Runtime.CompilerServices;

namespace Unitization.DataManager.Communities;

/// <summary>
/// Fast local moving on both cores for big graphs, with a result that depends on the seed only (not on the core count
/// or the scheduling). The nodes are split into <see cref="Lanes"/> lanes of consecutive ids; each lane runs the
/// queue-based local moving of <see cref="FastLocalMoving"/> over its own nodes until its queue is empty (an epoch),
/// on views of its own: its own moves at once, the other lanes' (their nodes' communities, their changes to community
/// totals and sizes) as of the epoch start. Between epochs the lanes' changes are merged in lane order (totals summed
/// in a fixed order, so the floating-point result is the same), the nodes of other lanes that a move made worth
/// revisiting are queued in their lane, and communities left empty become available to the lane that owns their id;
/// epochs repeat until no lane has a node queued. A lane's epoch reads nothing another lane writes during it, so the
/// lanes run in parallel, or one after the other with one core, to the same partition.
/// <para>
/// Epochs run until the queue is empty rather than for a fixed number of visits: each merge is a barrier, and on a
/// loaded machine a barrier waits for the lane whose thread was descheduled. Measured at load 8-11 (BenchmarkDotNet,
/// <c>LocalMovingBenchmarks</c>): with epochs of 32k visits both cores took 1.5-2.2x the time of one queue; running
/// each lane to empty takes 3-5 epochs on the 200k-node graph and is faster than one queue even then.
/// </para>
/// <para>
/// Only edges between lanes see a stale state, for one epoch at most: consecutive ids are usually neighbours in the
/// graph (generators, first-seen numbering and aggregation number that way), so few edges cross. An empty community
/// a lane moves a node into is one that was empty at the epoch start, which no other lane can enter before the next.
/// </para>
/// </summary>
internal sealed class ParallelLocalMoving
{
    /// <summary>Lanes: fixed (not the core count), so the partition is the same on any number of cores.</summary>
    internal const int Lanes = 2;

    /// <summary>Epochs before one queue takes over (3-5 usually suffice; see <see cref="Run"/>).</summary>
    internal const int MaxEpochs = 12;

    /// <summary>The smallest level worth the lanes (set <see cref="LeidenOptions.LaneMinNodes"/> to it to use them): smaller levels move in less time than the lanes' set-up and merges cost.</summary>
    internal const int MinNodes = 1 << 17;

    private readonly CsrGraph _g;
    private readonly double _scale;
    private readonly int[] _partition; // the result: each lane's nodes copied back from its view at the end
    private readonly double[] _total;  // community totals at the epoch start
    private readonly int[] _size;      // community sizes at the epoch start
    private readonly bool[] _listedEmpty;
    private readonly Lane[] _lanes;

    private ParallelLocalMoving(CsrGraph g, int[] partition, double resolution, SplitMix64 random)
    {
        _g = g;
        _scale = resolution / g.TotalWeight;
        _partition = partition;
        var n = g.NodeCount;
        _total = PooledArray.Rent<double>(n);
        _size = PooledArray.Rent<int>(n);
        _listedEmpty = PooledArray.Rent<bool>(n);
        var degrees = g.Degrees;
        for (var v = 0; v < n; v++)
        {
            _total[partition[v]] += degrees[v];
            _size[partition[v]]++;
        }

        _lanes = new Lane[Lanes];
        for (var l = 0; l < Lanes; l++)
        {
            var first = (int)((long)n * l / Lanes);
            var end = (int)((long)n * (l + 1) / Lanes);
            _lanes[l] = new Lane(this, first, end, new SplitMix64(random.Next()));
        }

        for (var c = n - 1; c >= 0; c--)
        {
            if (_size[c] == 0)
            {
                ListEmpty(c);
            }
        }
    }

    /// <summary>
    /// Moves nodes of <paramref name="g"/> (at least <see cref="MinNodes"/> of them for the lanes to pay) between the
    /// communities of <paramref name="partition"/> until no move gains. Unlike <see cref="FastLocalMoving"/> it does
    /// not return the modularity gained: a lane knows a move's gain only from the epoch start; a caller that needs it
    /// computes the modularity before and after.
    /// </summary>
    public static void Run(CsrGraph g, int[] partition, double resolution, SplitMix64 random, int parallelism)
    {
        var moving = new ParallelLocalMoving(g, partition, resolution, random);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = parallelism };
        var lanes = moving._lanes;
        var epochs = 0;
        while (moving.AnyQueued())
        {
            if (++epochs > MaxEpochs)
            {
                // lanes that see each other a step late can swap two nodes back and forth for ever (synchronous
                // moves oscillate, on bipartite graphs above all): one queue, whose every move gains, finishes
                foreach (var lane in lanes)
                {
                    Array.Copy(lane.Partition, lane.First, partition, lane.First, lane.End - lane.First);
                }

                moving.ReturnToPool();
                FastLocalMoving.Run(g, partition, resolution, random);
                return;
            }

            if (parallelism > 1)
            {
                Parallel.For(0, lanes.Length, parallel, l => lanes[l].RunEpoch());
            }
            else
            {
                foreach (var lane in lanes)
                {
                    lane.RunEpoch();
                }
            }

            moving.Merge();
        }

        foreach (var lane in lanes)
        {
            Array.Copy(lane.Partition, lane.First, partition, lane.First, lane.End - lane.First);
        }

        moving.ReturnToPool();
    }

    private bool AnyQueued()
    {
        foreach (var lane in _lanes)
        {
            if (lane.Queue.Count > 0)
            {
                return true;
            }
        }

        return false;
    }

    private Lane LaneOf(int v)
    {
        foreach (var lane in _lanes)
        {
            if (v < lane.End)
            {
                return lane;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(v));
    }

    private void ListEmpty(int c)
    {
        if (!_listedEmpty[c])
        {
            _listedEmpty[c] = true;
            var lane = LaneOf(c);
            lane.Empty[lane.EmptyCount++] = c;
        }
    }

    // The epoch's end, in lane order: the other lanes' views take the moved nodes, totals and sizes each lane's changes,
    // empty communities are listed with their lane, and nodes queued for another lane join that lane's queue.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Merge()
    {
        foreach (var lane in _lanes)
        {
            foreach (var v in lane.Moved.AsSpan(0, lane.MovedCount))
            {
                lane.IsMoved[v - lane.First] = false;
                foreach (var other in _lanes)
                {
                    other.Partition[v] = lane.Partition[v];
                }
            }

            lane.MovedCount = 0;
            foreach (var c in lane.Changed.AsSpan(0, lane.ChangedCount))
            {
                _total[c] += lane.TotalDelta[c];
                _size[c] += lane.SizeDelta[c];
                lane.TotalDelta[c] = 0;
                lane.SizeDelta[c] = 0;
                lane.IsChanged[c] = false;
            }
        }

        foreach (var lane in _lanes)
        {
            foreach (var c in lane.Changed.AsSpan(0, lane.ChangedCount))
            {
                foreach (var other in _lanes)
                {
                    other.Communities[c].Total = _total[c];
                }

                if (_size[c] == 0)
                {
                    ListEmpty(c);
                }
            }

            lane.ChangedCount = 0;
        }

        foreach (var lane in _lanes)
        {
            foreach (var u in lane.Outbox.AsSpan(0, lane.OutboxCount))
            {
                lane.InOutbox[u] = false;
                LaneOf(u).Queue.Add(u);
            }

            lane.OutboxCount = 0;
        }
    }

    private void ReturnToPool()
    {
        foreach (var lane in _lanes)
        {
            lane.ReturnToPool();
        }

        PooledArray.Return(_total);
        PooledArray.Return(_size);
        PooledArray.Return(_listedEmpty);
    }

    private sealed class Lane
    {
        private readonly ParallelLocalMoving _owner;
        private readonly int[] _touched;

        public Lane(ParallelLocalMoving owner, int first, int end, SplitMix64 random)
        {
            _owner = owner;
            First = first;
            End = end;
            var n = owner._g.NodeCount;
            Partition = PooledArray.RentUncleared<int>(n);
            Array.Copy(owner._partition, Partition, n);
            Queue = new NodeQueue(first, end, FastLocalMoving.Block, random);
            _touched = PooledArray.RentUncleared<int>(n);
            TotalDelta = PooledArray.Rent<double>(n);
            Communities = PooledArray.Rent<CommunityScore>(n);
            for (var c = 0; c < n; c++)
            {
                Communities[c].Total = owner._total[c];
            }
            SizeDelta = PooledArray.Rent<int>(n);
            IsChanged = PooledArray.Rent<bool>(n);
            Changed = PooledArray.RentUncleared<int>(n);
            Empty = PooledArray.RentUncleared<int>(end - first);
            Moved = PooledArray.RentUncleared<int>(end - first);
            IsMoved = PooledArray.Rent<bool>(end - first);
            Outbox = PooledArray.RentUncleared<int>(n - (end - first));
            InOutbox = PooledArray.Rent<bool>(n);
        }

        public int First { get; }

        public int End { get; }

        /// <summary>The partition as this lane sees it: its own nodes live, the others' as of the epoch start.</summary>
        public int[] Partition { get; }

        public NodeQueue Queue { get; }

        public double[] TotalDelta { get; }

        /// <summary>Community totals as this lane sees them (the epoch start's plus its own moves), beside its visit weights.</summary>
        public CommunityScore[] Communities { get; }

        public int[] SizeDelta { get; }

        public bool[] IsChanged { get; }

        public int[] Changed { get; }

        public int ChangedCount { get; set; }

        public int[] Empty { get; }

        public int EmptyCount { get; set; }

        public int[] Moved { get; }

        public int MovedCount { get; set; }

        /// <summary>Per own node (index minus <see cref="First"/>): whether it is in <see cref="Moved"/>.</summary>
        public bool[] IsMoved { get; }

        public int[] Outbox { get; }

        public int OutboxCount { get; set; }

        public bool[] InOutbox { get; }

        // fully optimized from the first call: it is called a few times per run, so tiering would leave it in tier 0
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void RunEpoch()
        {
            while (Queue.TryTake(out var v))
            {
                Visit(v);
            }
        }

        public void ReturnToPool()
        {
            Queue.ReturnToPool();
            PooledArray.Return(_touched);
            PooledArray.Return(Partition);
            PooledArray.Return(TotalDelta);
            PooledArray.Return(Communities);
            PooledArray.Return(SizeDelta);
            PooledArray.Return(IsChanged);
            PooledArray.Return(Changed);
            PooledArray.Return(Empty);
            PooledArray.Return(Moved);
            PooledArray.Return(IsMoved);
            PooledArray.Return(Outbox);
            PooledArray.Return(InOutbox);
        }

        // As FastLocalMoving.Visit, on this lane's view: its own nodes live, the other lanes' as of the epoch start.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Visit(int v)
        {
            var owner = _owner;
            var g = owner._g;
            var partition = Partition;
            var first = First;
            var span = (uint)(End - first);
            var start = g.Offsets[v];
            var length = g.Offsets[v + 1] - start;
            var targets = g.Targets.AsSpan(start, length);
            var weights = g.Weights.AsSpan(start, length);
            var own = partition[v];
            var kv = g.Degrees[v];
            var best = FastLocalMoving.BestCommunity(targets, weights, partition, Communities, _touched, own, kv, kv * owner._scale, out _, out var bestGain, out _);
            if (bestGain < 0 && owner._size[own] + SizeDelta[own] > 1 && EmptyCount > 0)
            {
                best = Empty[--EmptyCount];
                owner._listedEmpty[best] = false;
            }

            if (best == own)
            {
                return;
            }

            partition[v] = best;
            if (!IsMoved[v - first])
            {
                IsMoved[v - first] = true;
                Moved[MovedCount++] = v;
            }

            Change(own, -kv, -1);
            Change(best, kv, 1);
            foreach (var u in targets)
            {
                if (partition[u] == best)
                {
                    continue;
                }

                if ((uint)(u - first) < span)
                {
                    Queue.Add(u);
                }
                else if (!InOutbox[u])
                {
                    InOutbox[u] = true;
                    Outbox[OutboxCount++] = u;
                }
            }
        }

        private void Change(int c, double degree, int size)
        {
            Communities[c].Total += degree;
            TotalDelta[c] += degree;
            SizeDelta[c] += size;
            if (!IsChanged[c])
            {
                IsChanged[c] = true;
                Changed[ChangedCount++] = c;
            }
        }
    }
}
