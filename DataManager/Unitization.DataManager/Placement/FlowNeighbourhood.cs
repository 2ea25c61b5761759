using Unitization.DataManager.Communities;

namespace Unitization.DataManager.Placement;

/// <summary>
/// A neighbourhood placed by a minimum cut: the free jobs, each now in datacenter a or b, choose between the two with
/// every other job fixed. Between two datacenters the cost model is a sum of two-variable terms a cut represents
/// exactly (labels: source side a, sink side b; per dataset a node "a holds no copy", a node "b holds a copy" and, where
/// the primary may move between the two, a node "the primary is in b"):
/// a free job's read pays its bytes when its side holds no copy; each copy in a or b costs the copy bytes (the
/// primary's own copy is a constant); a write pays when the writer's side is not the primary's; the primary's side
/// holds a copy (infinite edges); a table's sole writer carries its primary. The balance rows are priced in
/// (Lagrange: each free job's load times a price on the overfull side, the price found by doubling, then at the prices
/// where the cut jumps, found from where the cuts' cost lines cross), and the cut returned is the balanced one at the
/// least price, or of the minimum cuts at a jump the one nearest the overfull side that balances (Picard and Queyranne:
/// <see cref="MaxFlow.Between"/>). Asked to, it also forces jobs across one by one, as FlowCutter pierces its cuts:
/// that gives balanced cuts no price gives, returned beside the priced one (instead of it where no price balances).
/// One rule is left out: a table with several writers keeps its primary where one of them runs; the search scores
/// every candidate by the exact model before keeping it.
/// </summary>
internal sealed partial class FlowNeighbourhood
{
    private const int Breakpoints = 8;
    private const int Pierces = 30;
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
    private double[] _unpriced = new double[256];
    private SplitMix64 _random;
    private int[] _toB = new int[16];
    private int[] _toA = new int[16];
    private int[] _component = [];
    private double[] _componentLoad = [];
    private double _copies; // per dataset with a node for each side's copy: the copy the primary's side holds anyway

    /// <summary>A solver for the problem's neighbourhoods; <paramref name="seed"/> picks the jobs forced across.</summary>
    public FlowNeighbourhood(PlacementProblem problem, long seed = 0)
    {
        _problem = problem;
        _random = SplitMix64.For(seed, 11, 0);
    }

    /// <summary>
    /// The price the last balanced solve stopped at, from which the next starts its search; a caller whose solve is no
    /// guide for the next (a side overfull on purpose) puts it back.
    /// </summary>
    public double LastPrice { get; set; }

    /// <summary>
    /// Places <paramref name="free"/> (distinct jobs, each now in <paramref name="a"/> or <paramref name="b"/>) between
    /// the two; returns each one's datacenter (in order) and whether that placement is balanced (when nothing balanced
    /// the cut: the cut nearest to balance from the overfull side, for <see cref="Rebalance"/>), and, when
    /// <paramref name="pierce"/> is set and a price balanced it, a balanced placement found by forcing jobs across (null
    /// when forcing found none; where no price balanced the cut, a forced placement is the first result).
    /// </summary>
    public (int[] Datacenters, bool Balanced, int[]? Forced) Solve(PlacementState state, IReadOnlyList<int> free, int a, int b, bool pierce = false)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(free);
        var p = _problem;
        var scale = Math.Max(p.TotalLoad, double.Epsilon) / 1e6;
        var (roomA, roomB) = Build(state, free, a, b, scale);

        // no price first: the cheapest placement of the neighbourhood when it is balanced
        var placed = new int[free.Count];
        var (loadA, loadB) = Cut(free, a, b, placed);
        if (loadA <= roomA && loadB <= roomB)
        {
            return (placed, true, null);
        }

        // the overfull side gets a price per byte of load, doubled until the cut is no longer overfull there. Each cut
        // is a line over the price (its built capacity f plus the price times its priced load q); between the last
        // overfull cut and the first that is not, the price where their lines cross is tried: a cut below both is a
        // new end of the interval, else that price is where the minimum cut jumps, and of the minimum cuts there the
        // one nearest the overfull side that balances is taken (Between: every cut from one jump's end to the other)
        var heavyB = loadB > roomB;
        var low = 0.0;
        var lowLine = Line(loadA, loadB);
        _flow.Save(ref _saved);
        // the unpriced cut's flow and sides, which forcing starts from: kept only when asked to force
        int[]? unpriced = null;
        if (pierce)
        {
            _flow.Save(ref _unpriced);
            unpriced = (int[])placed.Clone();
        }

        var atLow = true;
        var nearest = (int[])placed.Clone();
        int[]? best = null;
        var high = LastPrice > 0 ? LastPrice / 2 : 1.0 / 64;
        (double F, double Q)? highLine = null;
        for (var round = 0; round < Doublings && highLine is null; round++)
        {
            var (balance, line) = Priced(high);
            if (balance == Balance.Heavy)
            {
                Array.Copy(placed, nearest, placed.Length);
                (low, lowLine, high) = (high, line, high * 2);
                continue;
            }

            highLine = line;
            best = balance == Balance.Balanced ? (int[])placed.Clone() : null;
        }

        for (var round = 0; round < Breakpoints && highLine is { } upper; round++)
        {
            var price = (upper.F - lowLine.F) / (lowLine.Q - upper.Q);
            if (!(price > low && price < high))
            {
                break;
            }

            var (balance, line) = Priced(price);
            var atCrossing = lowLine.F + (price * lowLine.Q);
            if (line.F + (price * line.Q) < atCrossing - (1e-9 * (1 + Math.Abs(atCrossing))))
            {
                switch (balance)
                {
                    case Balance.Heavy:
                        Array.Copy(placed, nearest, placed.Length);
                        (low, lowLine) = (price, line);
                        break;
                    case Balance.Balanced:
                        (best, high, highLine) = ((int[])placed.Clone(), price, line);
                        break;
                    default:
                        (high, highLine) = (price, line);
                        break;
                }

                continue;
            }

            if (Between(free, a, b, placed, heavyB, roomA, roomB))
            {
                (best, high) = ((int[])placed.Clone(), price);
            }

            break;
        }

        // asked to, jobs are also forced across: a balanced cut no price gives (two groups trading sides, say) may cost
        // less; where no price balanced the cut, it is the answer
        LastPrice = best is not null ? high : LastPrice;
        if (!pierce)
        {
            return (best ?? nearest, best is not null, null);
        }

        var forced = Pierce(free, a, b, placed, unpriced!, heavyB, roomA, roomB);
        return best is null ? (forced ?? nearest, forced is not null, null) : (best, true, forced);

        (double F, double Q) Line(double onA, double onB) => (_flow.BuiltCapacityAcross(), (heavyB ? onB : onA) / scale);

        // the cut at a price above the last overfull one: from that price's flow (saved), the price terminals raised by
        // the difference, the flow augmented (capacities only grew, so the saved flow is still a flow)
        (Balance Balance, (double F, double Q) Line) Priced(double price)
        {
            var (_, onA, onB) = FlowAt(free, heavyB ? _toB : _toA, a, b, placed, low, price, scale, fromSaved: !atLow);
            var balance = onA <= roomA && onB <= roomB ? Balance.Balanced : (heavyB ? onB > roomB : onA > roomA) ? Balance.Heavy : Balance.Flipped;
            atLow = balance == Balance.Heavy;
            if (atLow)
            {
                _flow.Save(ref _saved);
            }

            return (balance, Line(onA, onB));
        }
    }

    // the flow at a price at or above low (the saved flow's, restored unless current), the terminals in edges raised by
    // the difference and augmented; each free job's side into placed; the flow sent and the load on each side
    private (double Sent, double OnA, double OnB) FlowAt(
        IReadOnlyList<int> free, int[] edges, int a, int b, int[] placed, double low, double price, double scale, bool fromSaved)
    {
        if (fromSaved)
        {
            _flow.Restore(_saved);
        }

        for (var k = 0; k < free.Count; k++)
        {
            _flow.Raise(edges[k], (price - low) * _problem.JobLoad[free[k]] / scale);
        }

        var sent = _flow.Augment();
        var (onA, onB) = Sides(free, a, b, placed);
        return (sent, onA, onB);
    }

    // the network of a neighbourhood: a node per free job with its two price terminals (none yet), the datasets the
    // free jobs touch; returns the room each side has for the free jobs
    private (double RoomA, double RoomB) Build(PlacementState state, IReadOnlyList<int> free, int a, int b, double scale)
    {
        var p = _problem;
        _copies = 0;
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

        return (roomA, roomB);
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
            if (!(state.Load[over] > problem.MostLoad(over)))
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

    // from the unpriced cut's flow, jobs of the overfull side forced across one at a time (a random one: an unbounded
    // terminal edge to the other side; forcing only raises capacities, so the flow is augmented from where it was)
    // until the overfull side fits, as FlowCutter pierces its cuts: a balanced cut no price may give; null when the
    // other side overfills first
    private int[]? Pierce(IReadOnlyList<int> free, int a, int b, int[] placed, int[] unpriced, bool heavyB, double roomA, double roomB)
    {
        _flow.Restore(_unpriced);
        Array.Copy(unpriced, placed, placed.Length);
        var terminals = heavyB ? _toB : _toA;
        var heavy = heavyB ? b : a;
        for (var t = 0; t < Pierces; t++)
        {
            var candidates = 0;
            for (var k = 0; k < free.Count; k++)
            {
                candidates += placed[k] == heavy ? 1 : 0;
            }

            if (candidates == 0)
            {
                return null;
            }

            var pick = _random.Next(candidates);
            for (var k = 0; k < free.Count; k++)
            {
                if (placed[k] == heavy && pick-- == 0)
                {
                    _flow.Raise(terminals[k], Unbounded);
                    break;
                }
            }

            _flow.Augment();
            var (onA, onB) = Sides(free, a, b, placed);
            if (onA <= roomA && onB <= roomB)
            {
                return (int[])placed.Clone();
            }

            if (heavyB ? onA > roomA : onB > roomB)
            {
                return null;
            }
        }

        return null;
    }

    // of the minimum cuts of the last flow (the least source side plus components in order, see MaxFlow.Between), the
    // one nearest the overfull side that balances, written into placed; whether there is one
    private bool Between(IReadOnlyList<int> free, int a, int b, int[] placed, bool heavyB, double roomA, double roomB)
    {
        var count = _flow.Between(ref _component);
        if (_componentLoad.Length < count)
        {
            _componentLoad = new double[Math.Max(count, _componentLoad.Length * 2)];
        }

        Array.Clear(_componentLoad, 0, count);
        double loadA = 0, loadB = 0, between = 0;
        foreach (var j in free)
        {
            var node = _slot[j];
            var c = _component[node];
            if (c >= 0)
            {
                _componentLoad[c] += _problem.JobLoad[j];
                between += _problem.JobLoad[j];
            }
            else if (_flow.OnSourceSide(node))
            {
                loadA += _problem.JobLoad[j];
            }
            else
            {
                loadB += _problem.JobLoad[j];
            }
        }

        // from the overfull side's end, components cross one by one (in order onto a's side, or in reverse onto b's)
        // until the overfull side fits; the first k components are on a's side
        int k;
        if (heavyB)
        {
            loadB += between;
            for (k = 0; k < count && loadB > roomB; k++)
            {
                (loadA, loadB) = (loadA + _componentLoad[k], loadB - _componentLoad[k]);
            }
        }
        else
        {
            loadA += between;
            for (k = count; k > 0 && loadA > roomA; k--)
            {
                (loadA, loadB) = (loadA - _componentLoad[k - 1], loadB + _componentLoad[k - 1]);
            }
        }

        if (loadA > roomA || loadB > roomB)
        {
            return false;
        }

        for (var i = 0; i < free.Count; i++)
        {
            var node = _slot[free[i]];
            var c = _component[node];
            placed[i] = _flow.OnSourceSide(node) || (c >= 0 && c < k) ? a : b;
        }

        return true;
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
        _copies += noneInA >= 0 && inB >= 0 ? copy : 0;
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
