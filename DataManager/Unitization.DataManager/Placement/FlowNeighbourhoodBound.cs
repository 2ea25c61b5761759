namespace Unitization.DataManager.Placement;

/// <summary>The bound side of <see cref="FlowNeighbourhood"/>: the same network over every job, priced for a proof.</summary>
internal sealed partial class FlowNeighbourhood
{
    /// <summary>
    /// A proven lower bound on the cost of every balanced placement of a two-datacenter problem: the balance rows
    /// relaxed into a price per byte of load on one side (Lagrange), every job free, the cut at each price is the
    /// cheapest placement of cost plus priced load, so its value less the price times that side's capacity bounds the
    /// balanced optimum from below, at every price; the best price is found as <see cref="Solve"/> finds a balancing
    /// one (doubling, then where the cuts' lines cross, which ends at the maximum). The cut leaves out one rule (a table
    /// with several writers keeps its primary where one of them runs), which only lowers it. The value taken is the
    /// flow's, which never exceeds the minimum cut's.
    /// </summary>
    public double LowerBound(CancellationToken cancellationToken = default)
    {
        var p = _problem;
        if (p.DatacenterCount != 2)
        {
            throw new InvalidOperationException("The cut bound is for two datacenters.");
        }

        if (p.JobCount == 0)
        {
            return 0;
        }

        var scale = Math.Max(p.TotalLoad, double.Epsilon) / 1e6;
        var free = Enumerable.Range(0, p.JobCount).ToArray();
        var state = new PlacementState(p, new int[p.JobCount]);
        var (roomA, roomB) = Build(state, free, 0, 1, scale);
        var placed = new int[free.Length];
        var flow = _flow.Run();
        var (loadA, loadB) = Sides(free, 0, 1, placed);
        var best = flow - _copies;
        if (loadA <= roomA && loadB <= roomB)
        {
            return Math.Max(0, best * scale * (1 - 1e-9));
        }

        // the overfull side's load is priced; value(price) = flow - copies - price * capacity (scaled)
        var heavyB = loadB > roomB;
        var edges = heavyB ? _toB : _toA;
        var capacity = p.MostLoad(heavyB ? 1 : 0) / scale;
        double low = 0, lowFlow = flow;
        var lowLine = (F: _flow.BuiltCapacityAcross(), Q: (heavyB ? loadB : loadA) / scale);
        (double F, double Q)? highLine = null;
        double high = 1.0 / 64;
        _flow.Save(ref _saved);
        var atLow = true;
        for (var round = 0; round < Doublings && highLine is null && !cancellationToken.IsCancellationRequested; round++)
        {
            var (heavy, line) = At(high);
            if (heavy)
            {
                low = high;
                lowLine = line;
                high *= 2;
            }
            else
            {
                highLine = line;
            }
        }

        for (var round = 0; round < 4 * Breakpoints && highLine is { } upper && !cancellationToken.IsCancellationRequested; round++)
        {
            var price = (upper.F - lowLine.F) / (lowLine.Q - upper.Q);
            if (!(price > low && price < high))
            {
                break;
            }

            var (heavy, line) = At(price);
            var atCrossing = lowLine.F + (price * lowLine.Q);
            if (!(line.F + (price * line.Q) < atCrossing - (1e-9 * (1 + Math.Abs(atCrossing)))))
            {
                break; // no cut below the two lines there: the price where the bound is greatest
            }

            if (heavy)
            {
                (low, lowLine) = (price, line);
            }
            else
            {
                (high, highLine) = (price, line);
            }
        }

        return Math.Max(0, best * scale * (1 - 1e-9));

        // the flow at a price at or above low's, its bound kept in best: whether the priced side is still over its room,
        // and the cut's line
        (bool Heavy, (double F, double Q) Line) At(double price)
        {
            var (sent, onA, onB) = FlowAt(free, edges, 0, 1, placed, low, price, scale, fromSaved: !atLow);
            var total = lowFlow + sent;
            best = Math.Max(best, total - _copies - (price * capacity));
            var heavy = heavyB ? onB > roomB : onA > roomA;
            atLow = heavy;
            if (heavy)
            {
                lowFlow = total;
                _flow.Save(ref _saved);
            }

            return (heavy, (_flow.BuiltCapacityAcross(), (heavyB ? onB : onA) / scale));
        }
    }
}
