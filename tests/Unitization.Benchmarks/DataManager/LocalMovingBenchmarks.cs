using BenchmarkDotNet.Attributes;
using Unitization.DataManager.Communities;

namespace Unitization.Benchmarks.DataManager;

/// <summary>
/// Local moving from singletons on the 200k-node / 1M-edge planted-partition graph of <c>unitization bench
/// communities</c> (the phase that dominates Leiden there): one queue (baseline) against the two lanes run one after
/// the other on one core, and on both cores (the same partition either way).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 7)]
public class LocalMovingBenchmarks
{
    private CsrGraph _graph = null!;
    private int[] _partition = null!;

    [GlobalSetup]
    public void Setup()
    {
        var (from, to, weight) = PlantedPartition.Generate(200_000, 1_000_000, 1_000, 0.8, 42);
        _graph = CsrGraph.FromEdges(200_000, from, to, weight);
        _partition = new int[_graph.NodeCount];
    }

    [IterationSetup]
    public void Singletons()
    {
        for (var v = 0; v < _partition.Length; v++)
        {
            _partition[v] = v;
        }
    }

    [Benchmark(Baseline = true)]
    public double OneQueue() => FastLocalMoving.Run(_graph, _partition, 1.0, SplitMix64.For(42, 0, -1));

    [Benchmark]
    public int LanesOneCore()
    {
        ParallelLocalMoving.Run(_graph, _partition, 1.0, SplitMix64.For(42, 0, -1), parallelism: 1);
        return _partition[0];
    }

    [Benchmark]
    public int LanesTwoCores()
    {
        ParallelLocalMoving.Run(_graph, _partition, 1.0, SplitMix64.For(42, 0, -1), parallelism: 2);
        return _partition[0];
    }
}
