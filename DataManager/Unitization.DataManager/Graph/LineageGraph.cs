using Unitization.DataManager.Communities;
using Unitization.DataManager.Placement;

namespace Unitization.DataManager.Graph;

/// <summary>
/// The job/dataset lineage as the undirected graph community detection works on: nodes <c>0..J-1</c> are jobs,
/// <c>J..J+D-1</c> datasets; one edge per read and per write, built straight from the placement problem's edge arrays
/// into compressed sparse rows, weighted by bytes per day plus 1 (so edges without statistics still bind). With
/// <c>capReads</c>, a read weighs its bytes scaled by <c>min(1, copy cost / all reads of the dataset)</c>: the readers
/// of a dataset in one datacenter never pay more than one copy of it, so a hub table every domain reads weighs one
/// copy in all instead of pulling its readers into one community. On the shaped lineages of <c>bench place --exact</c>
/// that start is 3-40 % cheaper; on the 250k-job synthetic lineage it was 3 % dearer, so placement caps reads only
/// where the solver follows (up to <see cref="PlacementOptions.ExactJobLimit"/> jobs).
/// </summary>
internal static class LineageGraph
{
    public static CsrGraph ToUndirected(PlacementProblem problem, bool capReads)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var lineage = problem.Lineage;
        var jobs = problem.JobCount;
        var reads = lineage.ReadJob.Length;
        var readTotal = new double[problem.DatasetCount];
        for (var e = 0; e < reads; e++)
        {
            readTotal[lineage.ReadDataset[e]] += lineage.ReadBytesPerDay[e];
        }

        var count = reads + lineage.WriteJob.Length;
        var from = new int[count];
        var to = new int[count];
        var weight = new double[count];
        for (var e = 0; e < reads; e++)
        {
            var x = lineage.ReadDataset[e];
            var scale = capReads && readTotal[x] > problem.CopyCost[x] ? problem.CopyCost[x] / readTotal[x] : 1;
            (from[e], to[e], weight[e]) = (jobs + x, lineage.ReadJob[e], (lineage.ReadBytesPerDay[e] * scale) + 1);
        }

        for (var e = 0; e < lineage.WriteJob.Length; e++)
        {
            (from[reads + e], to[reads + e], weight[reads + e]) = (lineage.WriteJob[e], jobs + lineage.WriteDataset[e], lineage.WriteBytesPerDay[e] + 1);
        }

        return CsrGraph.FromEdges(jobs + problem.DatasetCount, from, to, weight);
    }
}
