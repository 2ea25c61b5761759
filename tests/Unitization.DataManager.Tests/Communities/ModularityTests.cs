using Unitization.DataManager.Communities;

namespace Unitization.DataManager.Tests.Communities;

public class ModularityTests
{
    // two triangles {0,1,2} and {3,4,5} joined by the edge 2-3: m = 7, degrees 2,2,3,3,2,2
    private static CsrGraph TwoTriangles(double bridge = 1) => CsrGraph.FromEdges(6,
        [0, 1, 0, 3, 4, 3, 2], [1, 2, 2, 4, 5, 5, 3], [1, 1, 1, 1, 1, 1, bridge]);

    [Fact]
    public void Compute_TwoTrianglesSplit_IsFiveFourteenths()
    {
        // Q = 2 * (6/14 - (7/14)^2) = 5/14
        Assert.Equal(5.0 / 14, Modularity.Compute(TwoTriangles(), [0, 0, 0, 1, 1, 1]), 12);
    }

    [Fact]
    public void Compute_OneCommunity_IsZero() =>
        Assert.Equal(0, Modularity.Compute(TwoTriangles(), [0, 0, 0, 0, 0, 0]), 12);

    [Fact]
    public void Compute_Singletons_IsMinusSumOfSquaredDegreeShares() =>
        Assert.Equal(-34.0 / 196, Modularity.Compute(TwoTriangles(), [0, 1, 2, 3, 4, 5]), 12);

    [Fact]
    public void Compute_ResolutionHalf_WeighsTheNullModelByHalf() =>
        Assert.Equal((12.0 / 14) - (0.5 * 2 * 0.25), Modularity.Compute(TwoTriangles(), [0, 0, 0, 1, 1, 1], 0.5), 12);

    [Fact]
    public void Compute_WeightedSelfLoop_CountsTwiceInDegreeAndInside()
    {
        // edge 0-1 weight 2, self-loop on 1 weight 3: A_11 = 6, k0 = 2, k1 = 8, 2m = 10
        var graph = CsrGraph.FromEdges(2, [0, 1], [1, 1], [2, 3]);
        Assert.Equal(10, graph.TotalWeight, 12);
        Assert.Equal(0, Modularity.Compute(graph, [0, 0]), 12);
        // apart: in = (0 + 6)/10, tot shares 0.2 and 0.8 -> 0.6 - 0.04 - 0.64
        Assert.Equal(0.6 - 0.04 - 0.64, Modularity.Compute(graph, [0, 1]), 12);
    }

    [Fact]
    public void FromEdges_ParallelEdges_AreSummed()
    {
        var graph = CsrGraph.FromEdges(2, [0, 1], [1, 0], [1.5, 2.5]);
        Assert.Equal(1, graph.EdgeCount);
        Assert.Equal(4, graph.Weights[0]);
    }

    [Fact]
    public void Compute_OneOrTwoCores_BitIdentical()
    {
        var (from, to, weight) = PlantedPartition.Generate(30_000, 150_000, 300, 0.8, 5);
        var graph = CsrGraph.FromEdges(30_000, from, to, weight);
        var membership = Enumerable.Range(0, graph.NodeCount).Select(v => v / 97).ToArray();
        var one = Modularity.Compute(graph, membership, 1.0, parallelism: 1);
        var two = Modularity.Compute(graph, membership, 1.0, parallelism: 2);
        Assert.Equal(BitConverter.DoubleToInt64Bits(one), BitConverter.DoubleToInt64Bits(two));
        Assert.True(one > 0.5, $"modularity {one:F4}");
    }
}
