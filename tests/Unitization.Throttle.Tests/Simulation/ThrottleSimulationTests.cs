using Unitization.Throttle.Budget;
using Unitization.Throttle.Configuration;
using Unitization.Throttle.Simulation;

namespace Unitization.Throttle.Tests.Simulation;

public sealed class ThrottleSimulationTests
{
    [Theory]
    [InlineData(1e6)]
    [InlineData(1e8)]
    [InlineData(1e10)]
    public void Run_OneStreamFor10Seconds_DeliversTheRateWithin1Percent(double bytesPerSecond)
    {
        var result = ThrottleSimulation.Run(
            bytesPerSecond,
            [new SimulatedStream("job", TrafficPriority.Normal, ThrottleSimulation.ChunkFor(bytesPerSecond))],
            TimeSpan.FromSeconds(10));

        Assert.InRange(result.RateError, -0.01, 0.01);
    }

    [Fact]
    public void Run_100EqualStreams_JainIndexAtLeast099()
    {
        var streams = Enumerable.Range(0, 100).Select(i => new SimulatedStream($"job-{i}", TrafficPriority.Normal, 64 * 1024)).ToArray();

        var result = ThrottleSimulation.Run(1e8, streams, TimeSpan.FromSeconds(10));

        Assert.True(result.JainIndex() >= 0.99, $"Jain's index {result.JainIndex()}");
        Assert.InRange(result.RateError, -0.01, 0.01);
    }

    [Fact]
    public void Run_Weights124_SharesWithin2PercentOfTheWeights()
    {
        SimulatedStream[] streams =
        [
            new("w1", TrafficPriority.Normal, 64 * 1024, 1),
            new("w2", TrafficPriority.Normal, 64 * 1024, 2),
            new("w4", TrafficPriority.Normal, 64 * 1024, 4),
        ];

        var result = ThrottleSimulation.Run(1e8, streams, TimeSpan.FromSeconds(10));

        double[] expected = [1 / 7d, 2 / 7d, 4 / 7d];
        for (var i = 0; i < 3; i++)
        {
            Assert.InRange(result.ShareOf(i) / expected[i], 0.98, 1.02);
        }
    }

    [Theory]
    [InlineData(1e6, 64 * 1024)] // a 1 MB/s link's leases: its burst (64 KiB) is Normal's floor share (13 kB) five times
    [InlineData(1e6, 50_000)]
    [InlineData(1e8, 10_000_000)] // a 100 MB/s link's leases of 100 ms: Low's share of the 5 MB burst is 500 kB
    public void Run_RequestsLargerThanAFloorsShareOfTheBurst_EveryClassKeepsItsFloor(double bytesPerSecond, long chunk)
    {
        var floors = new ClassFloorOptions { High = 0.3, Normal = 0.2, Low = 0.1 };
        SimulatedStream[] streams =
        [
            new("h1", TrafficPriority.High, chunk),
            new("h2", TrafficPriority.High, chunk),
            new("n1", TrafficPriority.Normal, chunk),
            new("n2", TrafficPriority.Normal, chunk),
            new("l1", TrafficPriority.Low, chunk),
            new("l2", TrafficPriority.Low, chunk),
        ];

        var result = ThrottleSimulation.Run(bytesPerSecond, streams, TimeSpan.FromSeconds(30), floors);

        // each class is waiting all along: Normal and Low get their floors, High the rest
        Assert.InRange(result.ShareOf(2) + result.ShareOf(3), 0.195, 0.21);
        Assert.InRange(result.ShareOf(4) + result.ShareOf(5), 0.095, 0.11);
        Assert.InRange(result.ShareOf(0) + result.ShareOf(1), 0.68, 0.71);
        Assert.InRange(result.RateError, -0.01, 0.01);
    }

    [Fact]
    public void Run_HighClassSaturating_LowClassKeepsItsFloor()
    {
        var floors = new ClassFloorOptions { High = 0.3, Normal = 0.2, Low = 0.1 };
        SimulatedStream[] streams =
        [
            new("h1", TrafficPriority.High, 64 * 1024),
            new("h2", TrafficPriority.High, 64 * 1024),
            new("h3", TrafficPriority.High, 64 * 1024),
            new("low", TrafficPriority.Low, 64 * 1024),
        ];

        var result = ThrottleSimulation.Run(1e8, streams, TimeSpan.FromSeconds(10), floors);

        var low = result.ShareOf(3);
        Assert.InRange(low, 0.099, 0.12);
        Assert.InRange(result.RateError, -0.01, 0.01);
    }

    [Fact]
    public void Run_HighAndNormalWithoutLow_HighServedFirstNormalKeepsFloor()
    {
        var floors = new ClassFloorOptions { High = 0.3, Normal = 0.2, Low = 0.1 };
        SimulatedStream[] streams =
        [
            new("h", TrafficPriority.High, 64 * 1024),
            new("n", TrafficPriority.Normal, 64 * 1024),
        ];

        var result = ThrottleSimulation.Run(1e8, streams, TimeSpan.FromSeconds(10), floors);

        // Low is idle: its floor is lent out, High (preferred) takes all but Normal's floor
        Assert.InRange(result.ShareOf(1), 0.195, 0.22);
        Assert.InRange(result.ShareOf(0), 0.78, 0.805);
    }

    [Fact]
    public void Run_OnlyLowClassBusy_GetsTheWholeLink()
    {
        var result = ThrottleSimulation.Run(1e8, [new SimulatedStream("low", TrafficPriority.Low, 64 * 1024)], TimeSpan.FromSeconds(10));

        Assert.InRange(result.RateError, -0.01, 0.01);
    }
}
