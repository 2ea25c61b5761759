using BenchmarkDotNet.Attributes;
using Unitization.DataManager.Communities;

namespace Unitization.Benchmarks.DataManager;

/// <summary>
/// Leiden on a 20k-node / 100k-edge planted-partition graph: one core (baseline) against both cores (parallel
/// refinement and aggregation; the partition is the same). The 200k-node comparison with igraph is
/// <c>unitization bench communities</c>.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class LeidenBenchmarks
{
    private CsrGraph _graph = null!;

    [GlobalSetup]
    public void Setup()
    {
        var (from, to, weight) = PlantedPartition.Generate(20_000, 100_000, 100, 0.8, 42);
        _graph = CsrGraph.FromEdges(20_000, from, to, weight);
    }

    [Benchmark(Baseline = true)]
    public int OneCore() => Leiden.Run(_graph, new LeidenOptions(Seed: 42) { MaxDegreeOfParallelism = 1 }).CommunityCount;

    [Benchmark]
    public int AllCores() => Leiden.Run(_graph, new LeidenOptions(Seed: 42)).CommunityCount;
}
