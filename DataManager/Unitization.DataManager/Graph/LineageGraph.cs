using Unitization.DataManager.Communities;
using Unitization.DataManager.Placement;

namespace Unitization.DataManager.Graph;

/// <summary>
/// The job/dataset lineage as the undirected graph community detection works on: nodes <c>0..J-1</c> are jobs,
/// <c>J..J+D-1</c> datasets; one edge per read and per write, weighted <c>bytes per day + 1</c> so edges without
/// statistics still bind. Built straight from the placement problem's edge arrays into compressed sparse rows.
/// </summary>
internal static class LineageGraph
{
    public static CsrGraph ToUndirected(PlacementProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var lineage = problem.Lineage;
        var jobs = problem.JobCount;
        var reads = lineage.ReadJob.Length;
        var count = reads + lineage.WriteJob.Length;
        var from = new int[count];
        var to = new int[count];
        var weight = new double[count];
        for (var e = 0; e < reads; e++)
        {
            (from[e], to[e], weight[e]) = (jobs + lineage.ReadDataset[e], lineage.ReadJob[e], lineage.ReadBytesPerDay[e] + 1);
        }

        for (var e = 0; e < lineage.WriteJob.Length; e++)
        {
            (from[reads + e], to[reads + e], weight[reads + e]) = (lineage.WriteJob[e], jobs + lineage.WriteDataset[e], lineage.WriteBytesPerDay[e] + 1);
        }

        return CsrGraph.FromEdges(jobs + problem.DatasetCount, from, to, weight);
    }
}
