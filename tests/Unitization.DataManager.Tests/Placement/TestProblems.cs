using Unitization.DataManager.Communities;
using Unitization.DataManager.Lineage;
using Unitization.DataManager.Placement;

namespace Unitization.DataManager.Tests.Placement;

/// <summary>Random but reproducible placement problems: clustered jobs reading and writing tables.</summary>
internal static class TestProblems
{
    /// <param name="singleWriters">At most one job writes each table (the rest of a job's writes are dropped).</param>
    public static PlacementProblem Random(int seed, int jobs = 60, int datasets = 40, int datacenters = 3, double eps = 0.1, bool singleWriters = false)
    {
        var written = new HashSet<int>();
        var random = SplitMix64.For(seed, 1, 2);
        var readJob = new List<int>();
        var readDataset = new List<int>();
        var readBytes = new List<double>();
        var writeJob = new List<int>();
        var writeDataset = new List<int>();
        var writeBytes = new List<double>();
        var seen = new HashSet<(int, int, bool)>();
        for (var j = 0; j < jobs; j++)
        {
            var cluster = j * 4 / jobs;
            for (var r = 0; r < 3; r++)
            {
                var x = random.NextDouble() < 0.8 ? (cluster * datasets / 4) + random.Next(Math.Max(1, datasets / 4)) : random.Next(datasets);
                if (seen.Add((j, x, false)))
                {
                    readJob.Add(j);
                    readDataset.Add(x);
                    readBytes.Add(1 + random.Next(1000));
                }
            }

            var y = random.Next(datasets);
            if (random.NextDouble() < 0.7 && (!singleWriters || written.Add(y)) && seen.Add((j, y, true)))
            {
                writeJob.Add(j);
                writeDataset.Add(y);
                writeBytes.Add(1 + random.Next(500));
            }
        }

        var snapshot = new LineageSnapshot
        {
            Jobs = Enumerable.Range(0, jobs).Select(j => new JobRef("airflow", $"dag{j / 5}.task{j}")).ToArray(),
            Dags = Enumerable.Range(0, jobs).Select(j => $"dag{j / 5}").ToArray(),
            Runs = new int[jobs],
            Datasets = Enumerable.Range(0, datasets).Select(x => new DatasetRef("hive://metastore", $"db.t{x}")).ToArray(),
            ReadJob = [.. readJob],
            ReadDataset = [.. readDataset],
            ReadBytesPerDay = [.. readBytes],
            WriteJob = [.. writeJob],
            WriteDataset = [.. writeDataset],
            WriteBytesPerDay = [.. writeBytes],
            Days = 1,
        };
        var ids = Enumerable.Range(0, datacenters).Select(d => $"dc{d}").ToArray();
        var shares = Enumerable.Range(0, datacenters).Select(d => 1.0 + d).ToArray();
        return new PlacementProblem(snapshot, ids, shares, eps);
    }

    public static int[] RandomAssignment(PlacementProblem problem, int seed)
    {
        var random = SplitMix64.For(seed, 3, 4);
        return Enumerable.Range(0, problem.JobCount).Select(_ => random.Next(problem.DatacenterCount)).ToArray();
    }
}
