using Unitization.Analytics.Queries;

namespace Unitization.Analytics.Tests.Queries;

public sealed class TimeWindowTests
{
    [Theory]
    [InlineData("15m", 15 * 60)]
    [InlineData("1h", 3600)]
    [InlineData("7d", 7 * 86400)]
    public void TryParse_Valid_Duration(string text, int seconds)
    {
        Assert.True(TimeWindow.TryParse(text, out var window, out _));
        Assert.Equal(TimeSpan.FromSeconds(seconds), window);
    }

    [Theory]
    [InlineData("1x", "unit 'x'")]
    [InlineData("h", "not a duration")]
    [InlineData("0h", "not a duration")]
    [InlineData("90d", "longer than 31 days")]
    [InlineData(null, "not a duration")]
    public void TryParse_Invalid_SaysWhy(string? text, string reason)
    {
        Assert.False(TimeWindow.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void StepFor_Windows_AtMost120Points()
    {
        foreach (var window in new[] { TimeSpan.FromMinutes(15), TimeSpan.FromHours(1), TimeSpan.FromHours(24), TimeSpan.FromDays(7) })
        {
            Assert.True(window.TotalSeconds / TrafficQueries.StepFor(window) <= 120);
        }

        Assert.Equal(60, TrafficQueries.StepFor(TimeSpan.FromHours(1)));
    }
}
