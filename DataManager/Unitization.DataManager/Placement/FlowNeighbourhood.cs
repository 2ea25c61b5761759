namespace Unitization.DataManager.Placement;

/// <summary>
/// A neighbourhood placed by a minimum cut: the free jobs, each now in datacenter a or b, choose between the two with
/// every other job fixed. Between two datacenters the cost model is a sum of two-variable terms a cut represents
/// exactly (labels: source side a, sink side b; per dataset a node "a holds no copy", a node "b holds a copy" and, where
/// the primary may move between the two, a node "the primary is in b"):
/// a free job's read pays its bytes when its side holds no copy; each copy in a or b costs the copy bytes (the
/// primary's own copy is a constant); a write pays when the writer's side is not the primary's; the primary's side
/// holds a copy (infinite edges); a table's sole writer carries its primary. The balance rows are priced in
/// (Lagrange: each free job's load times a price on the overfull side, the price found by doubling and bisection), and
/// the cut returned is the one at the least balancing price found (else the nearest to balance). One rule is left out: a table with several writers keeps its
/// primary where one of them runs; the search scores every candidate by the exact model before keeping it.
/// </summary>
internal sealed class FlowNeighbourhood
{
    private const int Bisections = 4;
    private const int Doublings = 40;
    private const double Unbounded = 1e30;

    private readonly PlacementProblem _problem;
    private readonly MaxFlow _flow = new();
    private readonly Dictionary<int, int> _slot = [];
    private readonly Dictionary<int, double> _freeReads = [];
    private readonly Dictionary<int, double> _freeWrites = [];
    private readonly HashSet<int> _touched = [];
    private readonly HashSet<int> _writers = [];
    private double[] _saved = new double[256];
    private double _lastPrice;
    private int[] _toB = new int[16];
    private int[] _toA = new int[16];

    public FlowNeighbourhood(PlacementProblem problem) => _problem = problem;

    /// <summary>
    /// Places <paramref name="free"/> (distinct jobs, each now in <paramref name="a"/> or <paramref name="b"/>) between
    /// the two; returns each one's datacenter (in order) and whether that placement is balanced (when no price balanced
    /// the cut: the cut nearest to balance from the overfull side, for <see cref="Rebalance"/>).
    /// </summary>
    public (int[] Datacenters, bool Balanced) Solve(PlacementState state, IReadOnlyList<int> free, int a, int b)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(free);
        var p = _problem;
        var scale = Math.Max(p.TotalLoad, double.Epsilon) / 1e6;
        _flow.Clear(1e-9);
        _slot.Clear();
        if (_toB.Length < free.Count)
        {
            _toB = new int[free.Count * 2];
            _toA = new int[free.Count * 2];
        }

        // room on each side: capacity less the load of the jobs that stay, with the balance check's own slack
        var roomA = p.Capacity[a] - state.Load[a] + (p.Capacity[a] * 1e-9) + 1e-9;
        var roomB = p.Capacity[b] - state.Load[b] + (p.Capacity[b] * 1e-9) + 1e-9;
        for (var k = 0; k < free.Count; k++)
        {
            var j = free[k];
            _slot[j] = _flow.AddNode();
            if (state.JobDatacenter[j] == a)
            {
                roomA += p.JobLoad[j];
            }
            else
            {
                roomB += p.JobLoad[j];
            }

            // the balance price's terminals, none until a price is set
            _toB[k] = _flow.AddEdge(MaxFlow.Source, _slot[j], 0);
            _toA[k] = _flow.AddEdge(_slot[j], MaxFlow.Sink, 0);
        }

        _touched.Clear();
        foreach (var j in free)
        {
            for (var e = p.JobReadStart[j]; e < p.JobReadStart[j + 1]; e++)
            {
                _touched.Add(p.JobReadDataset[e]);
            }

            for (var e = p.JobWriteStart[j]; e < p.JobWriteStart[j + 1]; e++)
            {
                _touched.Add(p.JobWriteDataset[e]);
            }
        }

        foreach (var x in _touched)
        {
            Dataset(state, x, a, b, scale);
        }

        // no price first: the cheapest placement of the neighbourhood when it is balanced
        var placed = new int[free.Count];
        var (loadA, loadB) = Cut(free, a, b, placed);
        if (loadA <= roomA && loadB <= roomB)
        {
            return (placed, true);
        }

        // the overfull side gets a price per byte of load: doubled until the cut is no longer overfull there, then
        // bisected toward the least price that balances it; when the cut jumps from one side overfull to the other, the
        // least overfull cut of the overfull side is returned for the caller to rebalance
        var heavyB = loadB > roomB;
        // the doubling starts from half the last balancing price: neighbourhoods of one lineage need prices alike
        double low = 0, high = _lastPrice > 0 ? _lastPrice / 2 : 1.0 / 64;
        _flow.Save(ref _saved);
        var atLow = true;
        var nearest = (int[])placed.Clone();
        int[]? best = null;
        var crossed = false;
        for (var round = 0; round < Doublings && best is null && !crossed; round++)
        {
            switch (Priced(high))
            {
                case Balance.Balanced:
                    best = (int[])placed.Clone();
                    break;
                case Balance.Heavy:
                    Array.Copy(placed, nearest, placed.Length);
                    low = high;
                    high *= 2;
                    break;
                default:
                    crossed = true;
                    break;
            }
        }

        for (var round = 0; round < Bisections && (best is not null || crossed); round++)
        {
            var price = (low + high) / 2;
            switch (Priced(price))
            {
                case Balance.Balanced:
                    best = (int[])placed.Clone();
                    crossed = false;
                    high = price;
                    break;
                case Balance.Heavy:
                    Array.Copy(placed, nearest, placed.Length);
                    low = price;
                    break;
                default:
                    high = price;
                    break;
            }
        }

        _lastPrice = best is not null ? high : _lastPrice;
        return (best ?? nearest, best is not null);

        // the cut at a price above the last heavy one: from that price's flow (saved), the price terminals raised by
        // the difference, the flow augmented (capacities only grew, so the saved flow is still a flow)
        Balance Priced(double price)
        {
            var edges = heavyB ? _toB : _toA;
            if (!atLow)
            {
                _flow.Restore(_saved);
            }

            for (var k = 0; k < free.Count; k++)
            {
                _flow.Raise(edges[k], (price - low) * p.JobLoad[free[k]] / scale);
            }

            _flow.Augment();
            var (onA, onB) = Sides(free, a, b, placed);
            var balance = onA <= roomA && onB <= roomB ? Balance.Balanced : (heavyB ? onB > roomB : onA > roomA) ? Balance.Heavy : Balance.Flipped;
            atLow = balance == Balance.Heavy;
            if (atLow)
            {
                _flow.Save(ref _saved);
            }

            return balance;
        }
    }

    private enum Balance
    {
        Balanced,
        Heavy,
        Flipped,
    }

    /// <summary>
    /// Moves free jobs off whichever of <paramref name="a"/> and <paramref name="b"/> is over its capacity to the other,
    /// the least cost per byte of load first (by <see cref="PlacementState.MoveDelta"/> before the first move), skipping
    /// those the other has no room for; returns whether the placement is balanced afterwards.
    /// </summary>
    public static bool Rebalance(PlacementProblem problem, PlacementState state, IReadOnlyList<int> free, int a, int b)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(free);
        if (PlacementCost.IsBalanced(problem, state.Load))
        {
            return true;
        }

        var over = state.Load[a] > problem.Capacity[a] ? a : b;
        var other = over == a ? b : a;
        var movable = free.Where(j => state.JobDatacenter[j] == over)
            .Select(j => (Job: j, Price: state.MoveDelta(j, other) / Math.Max(problem.JobLoad[j], double.Epsilon)))
            .OrderBy(m => m.Price).ThenBy(m => m.Job).ToArray();
        foreach (var (j, _) in movable)
        {
            if (!(state.Load[over] > problem.Capacity[over] * (1 + 1e-9) + 1e-9))
            {
                break;
            }

            if (state.Fits(j, other))
            {
                state.Move(j, other);
            }
        }

        return PlacementCost.IsBalanced(problem, state.Load);
    }

    // runs the cut from scratch; writes each free job's side and returns the load on each
    private (double A, double B) Cut(IReadOnlyList<int> free, int a, int b, int[] placed)
    {
        _flow.Run();
        return Sides(free, a, b, placed);
    }

    // each free job's side of the last cut, and the load on each
    private (double A, double B) Sides(IReadOnlyList<int> free, int a, int b, int[] placed)
    {
        double loadA = 0, loadB = 0;
        for (var k = 0; k < free.Count; k++)
        {
            var inA = _flow.OnSourceSide(_slot[free[k]]);
            placed[k] = inA ? a : b;
            if (inA)
            {
                loadA += _problem.JobLoad[free[k]];
            }
            else
            {
                loadB += _problem.JobLoad[free[k]];
            }
        }

        return (loadA, loadB);
    }

    private void Dataset(PlacementState state, int x, int a, int b, double scale)
    {
        var p = _problem;
        var place = state.JobDatacenter;
        _freeReads.Clear();
        _freeWrites.Clear();
        _writers.Clear();
        double fixedReadsA = 0, fixedReadsB = 0, fixedWritesA = 0, fixedWritesB = 0;
        int fixedWritersA = 0, fixedWritersB = 0;
        for (var e = p.DatasetReadStart[x]; e < p.DatasetReadStart[x + 1]; e++)
        {
            var j = p.DatasetReadJob[e];
            var bytes = p.DatasetReadBytes[e] / scale;
            if (_slot.TryGetValue(j, out var node))
            {
                _freeReads[node] = _freeReads.GetValueOrDefault(node) + bytes;
            }
            else if (place[j] == a)
            {
                fixedReadsA += bytes;
            }
            else if (place[j] == b)
            {
                fixedReadsB += bytes;
            }
        }

        for (var e = p.DatasetWriteStart[x]; e < p.DatasetWriteStart[x + 1]; e++)
        {
            var j = p.DatasetWriteJob[e];
            var bytes = p.DatasetWriteBytes[e] / scale;
            _writers.Add(j);
            if (_slot.TryGetValue(j, out var node))
            {
                _freeWrites[node] = _freeWrites.GetValueOrDefault(node) + bytes;
            }
            else if (place[j] == a)
            {
                fixedWritesA += bytes;
                fixedWritersA++;
            }
            else if (place[j] == b)
            {
                fixedWritesB += bytes;
                fixedWritersB++;
            }
        }

        // the primary: a constant datacenter, the sole free writer's own node, or a node of its own (a or b)
        var constant = -1;
        var primary = -1;
        if (p.PinnedPrimary[x] >= 0)
        {
            constant = p.PinnedPrimary[x];
        }
        else if (_writers.Count == 1)
        {
            if (_freeWrites.Count == 1)
            {
                primary = _freeWrites.Keys.First();
            }
            else
            {
                constant = place[_writers.First()];
            }
        }
        else if (state.Primary[x] != a && state.Primary[x] != b)
        {
            constant = state.Primary[x];
        }
        else if (_writers.Count > 0 && _freeWrites.Count == 0)
        {
            // fixed writers only: the primary stays on the one side where they run, or may move when they run on both
            constant = fixedWritersA > 0 && fixedWritersB > 0 ? -1 : (fixedWritersA > 0 ? a : b);
        }

        if (constant < 0 && primary < 0)
        {
            primary = _flow.AddNode();
            if (fixedWritesA > 0)
            {
                _flow.AddEdge(MaxFlow.Source, primary, fixedWritesA);
            }

            if (fixedWritesB > 0)
            {
                _flow.AddEdge(primary, MaxFlow.Sink, fixedWritesB);
            }
        }

        var copy = p.CopyCost[x] / scale;
        // "a holds no copy" (sink side: none); absent when a holds the primary for sure
        var noneInA = constant == a ? -1 : _flow.AddNode();
        var inB = constant == b ? -1 : _flow.AddNode();
        if (noneInA >= 0)
        {
            _flow.AddEdge(noneInA, MaxFlow.Sink, copy);
            if (fixedReadsA > 0)
            {
                _flow.AddEdge(MaxFlow.Source, noneInA, fixedReadsA);
            }
        }

        if (inB >= 0)
        {
            _flow.AddEdge(MaxFlow.Source, inB, copy);
            if (fixedReadsB > 0)
            {
                _flow.AddEdge(inB, MaxFlow.Sink, fixedReadsB);
            }
        }

        if (primary >= 0)
        {
            // the primary's side holds a copy
            _flow.AddEdge(primary, noneInA, Unbounded);
            _flow.AddEdge(inB, primary, Unbounded);
        }

        foreach (var (node, bytes) in _freeReads)
        {
            if (noneInA >= 0)
            {
                _flow.AddEdge(node, noneInA, bytes);
            }

            if (inB >= 0)
            {
                _flow.AddEdge(inB, node, bytes);
            }
        }

        foreach (var (node, bytes) in _freeWrites)
        {
            if (node == primary)
            {
                continue;
            }

            if (primary >= 0)
            {
                _flow.AddEdge(node, primary, bytes);
                _flow.AddEdge(primary, node, bytes);
            }
            else if (constant == a)
            {
                _flow.AddEdge(MaxFlow.Source, node, bytes);
            }
            else if (constant == b)
            {
                _flow.AddEdge(node, MaxFlow.Sink, bytes);
            }
        }
    }
}
