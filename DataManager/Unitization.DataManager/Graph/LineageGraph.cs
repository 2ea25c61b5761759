using QuikGraph;
using Unitization.DataManager.Communities;
using Unitization.DataManager.Placement;

namespace Unitization.DataManager.Graph;

/// <summary>
/// The job/dataset lineage as a QuikGraph graph: vertices <c>0..J-1</c> are jobs, <c>J..J+D-1</c> datasets; an edge
/// runs dataset → job for a read and job → dataset for a write, tagged with its bytes per day. Community detection
/// takes it as undirected CSR arrays with weight <c>bytes + 1</c>, so edges without statistics still bind.
/// </summary>
internal static class LineageGraph
{
    public static AdjacencyGraph<int, STaggedEdge<int, double>> Build(PlacementProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var lineage = problem.Lineage;
        var jobs = problem.JobCount;
        var graph = new AdjacencyGraph<int, STaggedEdge<int, double>>(allowParallelEdges: true, jobs + problem.DatasetCount, 4);
        graph.AddVertexRange(Enumerable.Range(0, jobs + problem.DatasetCount));
        for (var e = 0; e < lineage.ReadJob.Length; e++)
        {
            graph.AddEdge(new STaggedEdge<int, double>(jobs + lineage.ReadDataset[e], lineage.ReadJob[e], lineage.ReadBytesPerDay[e]));
        }

        for (var e = 0; e < lineage.WriteJob.Length; e++)
        {
            graph.AddEdge(new STaggedEdge<int, double>(lineage.WriteJob[e], jobs + lineage.WriteDataset[e], lineage.WriteBytesPerDay[e]));
        }

        return graph;
    }

    public static CsrGraph ToUndirected(AdjacencyGraph<int, STaggedEdge<int, double>> graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var count = graph.EdgeCount;
        var from = new int[count];
        var to = new int[count];
        var weight = new double[count];
        var i = 0;
        foreach (var edge in graph.Edges)
        {
            from[i] = edge.Source;
            to[i] = edge.Target;
            weight[i++] = edge.Tag + 1;
        }

        return CsrGraph.FromEdges(graph.VertexCount, from, to, weight);
    }
}
