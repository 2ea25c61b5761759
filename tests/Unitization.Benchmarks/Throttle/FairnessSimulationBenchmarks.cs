using BenchmarkDotNet.Attributes;
using Unitization.Throttle.Budget;
using Unitization.Throttle.Simulation;

namespace Unitization.Benchmarks.Throttle;

/// <summary>
/// What scheduling costs when streams compete: one simulated second of N saturating streams on a 1 GB/s link
/// (64 KiB chunks, ~15,000 grants each), against one stream alone as the baseline.
/// </summary>
[MemoryDiagnoser]
public class FairnessSimulationBenchmarks
{
    [Benchmark(Baseline = true)]
    public double OneStream() => SimulatedSecond(1);

    [Benchmark]
    public double TenStreams() => SimulatedSecond(10);

    [Benchmark]
    public double HundredStreams() => SimulatedSecond(100);

    private static double SimulatedSecond(int streams) =>
        ThrottleSimulation.Run(
            1e9,
            [.. Enumerable.Range(0, streams).Select(i => new SimulatedStream($"job-{i}", TrafficPriority.Normal, 64 * 1024))],
            TimeSpan.FromSeconds(1)).JainIndex();
}
