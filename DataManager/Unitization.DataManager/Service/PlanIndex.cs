using Unitization.DataManager.Lineage;
using Unitization.DataManager.Plans;

namespace Unitization.DataManager.Service;

/// <summary>A plan indexed for lookups: job → datacenter and inputs, dataset → primary and replicas.</summary>
internal sealed class PlanIndex
{
    public PlanIndex(PlacementPlan plan, LineageSnapshot lineage)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(lineage);
        Plan = plan;
        Lineage = lineage;
        foreach (var job in plan.Jobs)
        {
            Jobs[new JobRef(job.Namespace, job.Name)] = job.Datacenter;
        }

        foreach (var dataset in plan.Datasets)
        {
            Datasets[new DatasetRef(dataset.Namespace, dataset.Name)] = dataset;
        }

        for (var e = 0; e < lineage.ReadJob.Length; e++)
        {
            var job = lineage.Jobs[lineage.ReadJob[e]];
            if (!Inputs.TryGetValue(job, out var list))
            {
                Inputs[job] = list = [];
            }

            list.Add(lineage.Datasets[lineage.ReadDataset[e]]);
        }
    }

    public PlacementPlan Plan { get; }

    /// <summary>The lineage window the plan was computed from (or, for a plan loaded at start, the stored window now).</summary>
    public LineageSnapshot Lineage { get; }

    public Dictionary<JobRef, string> Jobs { get; } = [];

    public Dictionary<JobRef, List<DatasetRef>> Inputs { get; } = [];

    public Dictionary<DatasetRef, PlanDataset> Datasets { get; } = [];

    public bool Holds(DatasetRef dataset, string datacenter) =>
        Datasets.TryGetValue(dataset, out var d) && (d.Primary == datacenter || d.Replicas.Contains(datacenter));
}
