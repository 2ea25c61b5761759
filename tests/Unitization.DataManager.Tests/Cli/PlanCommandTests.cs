using Unitization.DataManager.Cli;

namespace Unitization.DataManager.Tests.Cli;

public sealed class PlanCommandTests
{
    [Theory]
    [InlineData(0, "0 s")]
    [InlineData(0.2, "1 s")]
    [InlineData(59, "59 s")]
    [InlineData(60, "1 min 00 s")]
    [InlineData(725, "12 min 05 s")]
    [InlineData(12_000, "3 h 20 min")]
    [InlineData(86_399, "23 h 59 min")]
    [InlineData(187_200, "2 d 04 h")]
    [InlineData(-5, "0 s")]
    public void Eta_Seconds_ReadAsTheLargestTwoUnits(double seconds, string expected) =>
        Assert.Equal(expected, PlanCommand.Eta(seconds));
}
