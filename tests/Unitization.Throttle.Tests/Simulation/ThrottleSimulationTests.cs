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
