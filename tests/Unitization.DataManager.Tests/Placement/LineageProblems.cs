using Unitization.DataManager.Lineage;
using Unitization.DataManager.Placement;

namespace Unitization.DataManager.Tests.Placement;

/// <summary>Hand-made placement problems from explicit edges.</summary>
internal static class LineageProblems
{
    /// <summary>
    /// Jobs reading datasets (job, dataset, bytes per day), nothing written; datacenters of equal share; each job its
    /// own DAG unless <paramref name="dags"/> names them.
    /// </summary>
    public static PlacementProblem Reads(IReadOnlyList<(int Job, int Dataset, double Bytes)> reads, int datacenters, double eps, string[]? dags = null) =>
        ReadsAndWrites(reads, [], datacenters, eps, dags);

    /// <summary>Jobs reading and writing datasets (job, dataset, bytes per day); otherwise as <see cref="Reads"/>.</summary>
    public static PlacementProblem ReadsAndWrites(IReadOnlyList<(int Job, int Dataset, double Bytes)> reads, IReadOnlyList<(int Job, int Dataset, double Bytes)> writes,
        int datacenters, double eps, string[]? dags = null)
    {
        var jobs = reads.Concat(writes).Max(r => r.Job) + 1;
        var datasets = reads.Concat(writes).Max(r => r.Dataset) + 1;
        var snapshot = new LineageSnapshot
        {
            Jobs = [.. Enumerable.Range(0, jobs).Select(j => new JobRef("airflow", $"job{j}"))],
            Dags = dags ?? [.. Enumerable.Range(0, jobs).Select(j => $"dag{j}")],
            Runs = new int[jobs],
            Datasets = [.. Enumerable.Range(0, datasets).Select(x => new DatasetRef("hive://metastore", $"db.t{x}"))],
            ReadJob = [.. reads.Select(r => r.Job)],
            ReadDataset = [.. reads.Select(r => r.Dataset)],
            ReadBytesPerDay = [.. reads.Select(r => r.Bytes)],
            WriteJob = [.. writes.Select(w => w.Job)],
            WriteDataset = [.. writes.Select(w => w.Dataset)],
            WriteBytesPerDay = [.. writes.Select(w => w.Bytes)],
            Days = 1,
        };
        return new PlacementProblem(snapshot, [.. Enumerable.Range(0, datacenters).Select(d => $"dc{d}")], [.. Enumerable.Repeat(1.0, datacenters)], eps);
    }
}
