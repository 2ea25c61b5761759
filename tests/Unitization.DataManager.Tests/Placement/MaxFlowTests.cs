using Unitization.DataManager.Placement;

namespace Unitization.DataManager.Tests.Placement;

public class MaxFlowTests
{
    [Fact]
    public void Run_TextbookNetwork_SendsItsMaximumAndCutsAtTheSaturatedEdges()
    {
        // s=0, t=1, inner nodes a..d; the cut {s, a, b, d} | {c, t} crosses a->c (12), d->c (7) and d->t (4): 23
        var flow = new MaxFlow();
        var (a, b, c, d) = (flow.AddNode(), flow.AddNode(), flow.AddNode(), flow.AddNode());
        flow.AddEdge(MaxFlow.Source, a, 16);
        flow.AddEdge(MaxFlow.Source, b, 13);
        flow.AddEdge(b, a, 4);
        flow.AddEdge(a, c, 12);
        flow.AddEdge(c, b, 9);
        flow.AddEdge(b, d, 14);
        flow.AddEdge(d, c, 7);
        flow.AddEdge(c, MaxFlow.Sink, 20);
        flow.AddEdge(d, MaxFlow.Sink, 4);

        var value = flow.Run();

        Assert.Equal(23, value, 9);
        Assert.True(flow.OnSourceSide(MaxFlow.Source));
        Assert.False(flow.OnSourceSide(MaxFlow.Sink));
        Assert.Equal([true, true, false, true], new[] { a, b, c, d }.Select(flow.OnSourceSide));
    }

    [Fact]
    public void Augment_CapacityRaisedAfterARun_GoesOnToTheNewMaximum()
    {
        var flow = new MaxFlow();
        var middle = flow.AddNode();
        var first = flow.AddEdge(MaxFlow.Source, middle, 1);
        flow.AddEdge(middle, MaxFlow.Sink, 3);
        Assert.Equal(1, flow.Run(), 9);
        Assert.False(flow.OnSourceSide(middle));
        var saved = Array.Empty<double>();
        flow.Save(ref saved);

        flow.Raise(first, 4);

        Assert.Equal(2, flow.Augment(), 9);
        Assert.True(flow.OnSourceSide(middle));
        flow.Restore(saved);
        Assert.Equal(0, flow.Augment(), 9);
        Assert.False(flow.OnSourceSide(middle));

        flow.Clear(1e-9);
        Assert.Equal(2, flow.NodeCount);
        Assert.Equal(0, flow.Run(), 9);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Run_RandomNetwork_FlowEqualsTheCheapestCutByEnumeration(int seed)
    {
        var random = new Random(seed);
        var flow = new MaxFlow();
        const int Inner = 8;
        var edges = new List<(int From, int To, double Capacity)>();
        for (var i = 0; i < Inner; i++)
        {
            flow.AddNode();
        }

        for (var e = 0; e < 30; e++)
        {
            var (u, v) = (random.Next(Inner + 2), random.Next(Inner + 2));
            if (u != v && u != MaxFlow.Sink && v != MaxFlow.Source)
            {
                var capacity = Math.Round(random.NextDouble() * 10, 2);
                edges.Add((u, v, capacity));
                flow.AddEdge(u, v, capacity);
            }
        }

        var value = flow.Run();

        // every source side: the source plus any subset of the inner nodes
        var cheapest = double.PositiveInfinity;
        for (var mask = 0; mask < 1 << Inner; mask++)
        {
            bool Source(int node) => node == MaxFlow.Source || (node >= 2 && ((mask >> (node - 2)) & 1) == 1);
            cheapest = Math.Min(cheapest, edges.Where(e => Source(e.From) && !Source(e.To)).Sum(e => e.Capacity));
        }

        Assert.Equal(cheapest, value, 6);
        // the cut the flow names costs what it sent
        Assert.Equal(value, edges.Where(e => flow.OnSourceSide(e.From) && !flow.OnSourceSide(e.To)).Sum(e => e.Capacity), 6);

        // raised source edges: augmenting the flow already sent reaches what a run from scratch reaches
        var raised = new MaxFlow();
        for (var i = 0; i < Inner; i++)
        {
            raised.AddNode();
        }

        var grown = edges.Select(e => e.From == MaxFlow.Source ? e with { Capacity = e.Capacity + 3 } : e).ToList();
        var ids = grown.Select(e => raised.AddEdge(e.From, e.To, e.Capacity)).ToList();
        var fresh = raised.Run();
        for (var e = 0; e < edges.Count; e++)
        {
            if (edges[e].From == MaxFlow.Source)
            {
                flow.Raise(ids[e], 3);
            }
        }

        Assert.Equal(fresh, value + flow.Augment(), 6);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void Between_SmallCapacities_NamesEveryMinimumCutByEnumeration(int seed)
    {
        // capacities of 1 or 2 so that many cuts tie for the minimum
        var random = new Random(seed);
        var flow = new MaxFlow();
        const int Inner = 9;
        var edges = new List<(int From, int To, double Capacity)>();
        for (var i = 0; i < Inner; i++)
        {
            flow.AddNode();
        }

        for (var e = 0; e < 24; e++)
        {
            var (u, v) = (random.Next(Inner + 2), random.Next(Inner + 2));
            if (u != v && u != MaxFlow.Sink && v != MaxFlow.Source)
            {
                edges.Add((u, v, 1 + random.Next(2)));
                flow.AddEdge(u, v, edges[^1].Capacity);
            }
        }

        var value = flow.Run();
        var component = Array.Empty<int>();
        var count = flow.Between(ref component);
        Assert.Equal(value, flow.BuiltCapacityAcross(), 9);

        // every prefix of the components, added to the least source side, is a minimum cut
        for (var k = 0; k <= count; k++)
        {
            var side = Enumerable.Range(0, Inner + 2).Select(n => flow.OnSourceSide(n) || (component[n] >= 0 && component[n] < k)).ToArray();
            Assert.Equal(value, edges.Where(e => side[e.From] && !side[e.To]).Sum(e => e.Capacity), 9);
        }

        // every minimum cut by enumeration holds the least source side, no node that reaches the sink, and each
        // component whole
        var minimum = 0;
        for (var mask = 0; mask < 1 << Inner; mask++)
        {
            bool Source(int node) => node == MaxFlow.Source || (node >= 2 && ((mask >> (node - 2)) & 1) == 1);
            if (Math.Abs(edges.Where(e => Source(e.From) && !Source(e.To)).Sum(e => e.Capacity) - value) > 1e-9)
            {
                continue;
            }

            minimum++;
            for (var n = 2; n < Inner + 2; n++)
            {
                Assert.True(!flow.OnSourceSide(n) || Source(n), $"node {n}: on the least source side, not on this cut's");
                Assert.True(component[n] >= 0 || flow.OnSourceSide(n) || !Source(n), $"node {n}: reaches the sink, on this cut's source side");
                var m = n;
                Assert.All(Enumerable.Range(2, Inner).Where(o => component[m] >= 0 && component[o] == component[m]), o => Assert.Equal(Source(m), Source(o)));
            }
        }

        Assert.True(minimum >= count + 1, $"{minimum} minimum cuts, {count} components");
        Assert.Equal(-1, component[MaxFlow.Source]);
        Assert.Equal(-1, component[MaxFlow.Sink]);
    }

    [Fact]
    public void Between_Chain_OrdersAComponentAfterTheOneItReaches()
    {
        // source -> u -> v -> sink, each of capacity 1: the cuts are {s}, {s, u}, {s, u, v}; the residual edge v -> u
        // puts u's component first
        var flow = new MaxFlow();
        var (u, v) = (flow.AddNode(), flow.AddNode());
        flow.AddEdge(MaxFlow.Source, u, 1);
        flow.AddEdge(u, v, 1);
        flow.AddEdge(v, MaxFlow.Sink, 1);
        Assert.Equal(1, flow.Run());

        var component = Array.Empty<int>();
        Assert.Equal(2, flow.Between(ref component));

        Assert.Equal((0, 1), (component[u], component[v]));
        Assert.Equal(1, flow.BuiltCapacityAcross());
    }
}
