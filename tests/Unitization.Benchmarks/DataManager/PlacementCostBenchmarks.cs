using BenchmarkDotNet.Attributes;
using Unitization.DataManager.Communities;
using Unitization.DataManager.Lineage;
using Unitization.DataManager.Placement;

namespace Unitization.Benchmarks.DataManager;

/// <summary>
/// What refinement leans on: the cost change of a move computed incrementally (<see cref="PlacementState.MoveDelta"/>)
/// against evaluating the whole placement again (baseline), on 5k jobs / 20k reads in 3 datacenters.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class PlacementCostBenchmarks
{
    private PlacementProblem _problem = null!;
    private PlacementState _state = null!;
    private bool[] _replicas = null!;

    [GlobalSetup]
    public void Setup()
    {
        const int jobs = 5_000;
        var random = SplitMix64.For(1, 2, 3);
        var readJob = Enumerable.Range(0, 20_000).Select(e => e % jobs).ToArray();
        var readDataset = readJob.Select(j => ((j / 50 * 50) + random.Next(50)) % jobs).ToArray();
        var pairs = readJob.Zip(readDataset).Distinct().ToArray();
        var snapshot = new LineageSnapshot
        {
            Jobs = Enumerable.Range(0, jobs).Select(j => new JobRef("a", $"j{j}")).ToArray(),
            Dags = Enumerable.Range(0, jobs).Select(j => $"d{j / 10}").ToArray(),
            Runs = new int[jobs],
            Datasets = Enumerable.Range(0, jobs).Select(x => new DatasetRef("h", $"t{x}")).ToArray(),
            ReadJob = pairs.Select(p => p.First).ToArray(),
            ReadDataset = pairs.Select(p => p.Second).ToArray(),
            ReadBytesPerDay = pairs.Select(_ => 1.0 + random.Next(1000)).ToArray(),
            WriteJob = Enumerable.Range(0, jobs).ToArray(),
            WriteDataset = Enumerable.Range(0, jobs).ToArray(),
            WriteBytesPerDay = Enumerable.Range(0, jobs).Select(_ => 1.0 + random.Next(1000)).ToArray(),
            Days = 1,
        };
        _problem = new PlacementProblem(snapshot, ["a", "b", "c"], [1, 1, 1], 0.1);
        _state = new PlacementState(_problem, Enumerable.Range(0, jobs).Select(j => j % 3).ToArray());
        _replicas = _state.Replicas();
    }

    [Benchmark(Baseline = true)]
    public double EvaluateFromScratch() =>
        PlacementCost.Evaluate(_problem, _state.JobDatacenter, _state.Primary, _replicas).Total;

    [Benchmark]
    public double IncrementalMoveDelta() => _state.MoveDelta(17, (_state.JobDatacenter[17] + 1) % 3);
}
