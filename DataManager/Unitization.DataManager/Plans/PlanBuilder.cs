using Unitization.DataManager.Lineage;
using Unitization.DataManager.Placement;

namespace Unitization.DataManager.Plans;

/// <summary>Turns a computed placement into the contract format, and a plan back into the previous placement.</summary>
internal static class PlanBuilder
{
    public static PlacementPlan Build(PlacementResult result, DateTimeOffset createdAt, double seconds)
    {
        ArgumentNullException.ThrowIfNull(result);
        var problem = result.Problem;
        var dcs = problem.Datacenters;
        var plan = new PlacementPlan { CreatedAt = createdAt, Datacenters = [.. dcs] };
        for (var j = 0; j < problem.JobCount; j++)
        {
            var job = problem.Lineage.Jobs[j];
            plan.Jobs.Add(new PlanJob(job.Namespace, job.Name, dcs[result.JobDatacenter[j]]));
        }

        for (var x = 0; x < problem.DatasetCount; x++)
        {
            var dataset = problem.Lineage.Datasets[x];
            var replicas = new List<string>();
            for (var d = 0; d < dcs.Length; d++)
            {
                if (result.Replicas[(x * dcs.Length) + d])
                {
                    replicas.Add(dcs[d]);
                }
            }

            plan.Datasets.Add(new PlanDataset(dataset.Namespace, dataset.Name, dcs[result.Primary[x]], replicas, Math.Round(problem.CopyCost[x], 3)));
        }

        var f = result.Figures;
        plan.Summary = new PlanSummary
        {
            Jobs = problem.JobCount,
            Datasets = problem.DatasetCount,
            Communities = result.Communities,
            WindowDays = problem.Lineage.Days,
            Eps = problem.Eps,
            CrossDcBytesPerDay = Math.Round(f.Cost.Total, 3),
            RemoteReadBytesPerDay = Math.Round(f.Cost.RemoteReads, 3),
            RemoteWriteBytesPerDay = Math.Round(f.Cost.RemoteWrites, 3),
            ReplicationBytesPerDay = Math.Round(f.Cost.Replication, 3),
            Imbalance = Math.Round(f.Imbalance, 6),
            Balanced = f.Balanced,
            Loads = Loads(dcs, f.Loads),
            LowerBoundBytesPerDay = Math.Floor(result.LowerBound), // rounded down: still a bound
            Gap = f.Cost.Total > 0 ? Math.Round((f.Cost.Total - result.LowerBound) / f.Cost.Total, 6) : 0,
            BoundSource = result.Exact.BoundSource,
            Solver = result.Exact.Solver,
            MovedJobs = result.Moves.Count,
            Seconds = Math.Round(seconds, 3),
            Baselines = new Dictionary<string, PlanFigures>
            {
                ["hash"] = Figures(dcs, result.HashBaseline),
                ["dag"] = Figures(dcs, result.DagBaseline),
            },
        };
        plan.Moves = result.Moves.Select(m => new PlanMove(m.Job.Namespace, m.Job.Name, m.From, m.To, Math.Round(m.SavesBytesPerDay, 3), Math.Round(m.CopyBytes, 3))).ToList();
        return plan;
    }

    public static PreviousPlacement Previous(PlacementPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var jobs = new Dictionary<JobRef, string>();
        foreach (var job in plan.Jobs)
        {
            jobs[new JobRef(job.Namespace, job.Name)] = job.Datacenter;
        }

        var primaries = new Dictionary<DatasetRef, string>();
        var replicas = new Dictionary<DatasetRef, IReadOnlyList<string>>();
        foreach (var dataset in plan.Datasets)
        {
            var key = new DatasetRef(dataset.Namespace, dataset.Name);
            primaries[key] = dataset.Primary;
            replicas[key] = dataset.Replicas ?? [];
        }

        return new PreviousPlacement(jobs, primaries, replicas);
    }

    private static PlanFigures Figures(string[] dcs, PlacementFigures f) => new(
        Math.Round(f.Cost.Total, 3), Math.Round(f.Cost.RemoteReads, 3), Math.Round(f.Cost.RemoteWrites, 3), Math.Round(f.Cost.Replication, 3),
        Math.Round(f.Imbalance, 6), f.Balanced, Loads(dcs, f.Loads));

    private static Dictionary<string, double> Loads(string[] dcs, double[] loads) =>
        dcs.Select((dc, i) => (dc, i)).ToDictionary(p => p.dc, p => Math.Round(loads[p.i], 3), StringComparer.Ordinal);
}
