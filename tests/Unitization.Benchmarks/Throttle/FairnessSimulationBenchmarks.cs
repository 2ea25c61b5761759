using BenchmarkDotNet.Attributes;
using Unitization.Throttle.Budget;
using Unitization.Throttle.Simulation;

namespace Unitization.Benchmarks.Throttle;

/// <summary>
/// What a scheduling decision costs when streams compete: one simulated second of N saturating streams on a 1 GB/s
/// link (64 KiB chunks, ~15,000 grants), one stream being the baseline.
/// </summary>
[MemoryDiagnoser]
public class FairnessSimulationBenchmarks
{
    [Params(1, 10, 100)]
    public int Streams { get; set; }

    [Benchmark]
    public double SimulatedSecond()
    {
        var streams = Enumerable.Range(0, Streams).Select(i => new SimulatedStream($"job-{i}", TrafficPriority.Normal, 64 * 1024)).ToArray();
        return ThrottleSimulation.Run(1e9, streams, TimeSpan.FromSeconds(1)).JainIndex();
    }
}
