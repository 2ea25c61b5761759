using Unitization.DataManager.Communities;

namespace Unitization.DataManager.Tests.Communities;

public class AggregationTests
{
    [Theory]
    [InlineData(3000)]
    [InlineData(70_000)] // from FastLocalMoving.BlockedNodes: rows and ids prefetched
    public void Run_TriplesOfNodes_SumsEachPairsWeightsAndKeepsTheInnerWeightAsSelfLoops(int nodes)
    {
        var (from, to, weight) = PlantedPartition.Generate(nodes, nodes * 4, nodes / 100, 0.8, seed: 5);
        var graph = CsrGraph.FromEdges(nodes, from, to, weight);
        var refined = Enumerable.Range(0, nodes).Select(v => v / 3).ToArray();
        var count = ((nodes - 1) / 3) + 1;

        var aggregate = Aggregation.Run(graph, refined, count, parallelism: 2);

        var expected = new Dictionary<(int, int), double>();
        var self = new double[count];
        for (var v = 0; v < nodes; v++)
        {
            self[refined[v]] += graph.SelfLoops[v];
            for (var e = graph.Offsets[v]; e < graph.Offsets[v + 1]; e++)
            {
                var (a, b) = (refined[v], refined[graph.Targets[e]]);
                if (a == b)
                {
                    self[a] += graph.Weights[e];
                }
                else
                {
                    expected[(a, b)] = expected.GetValueOrDefault((a, b)) + graph.Weights[e];
                }
            }
        }

        Assert.Equal(count, aggregate.NodeCount);
        Assert.Equal(expected.Count, aggregate.Offsets[count]);
        for (var a = 0; a < count; a++)
        {
            Assert.Equal(self[a], aggregate.SelfLoops[a], 9);
            for (var e = aggregate.Offsets[a]; e < aggregate.Offsets[a + 1]; e++)
            {
                Assert.Equal(expected[(a, aggregate.Targets[e])], aggregate.Weights[e], 9);
            }
        }

        Assert.Equal(graph.TotalWeight, aggregate.TotalWeight, 6);
        aggregate.ReturnToPool();
    }
}
