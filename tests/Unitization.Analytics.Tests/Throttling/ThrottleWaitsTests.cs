using System.Text.Json;
using Unitization.Analytics.Throttling;

namespace Unitization.Analytics.Tests.Throttling;

public sealed class ThrottleWaitsTests
{
    [Fact]
    public void ByPriority_ClassesUnderSeveralLinks_SummedPerClass()
    {
        using var state = JsonDocument.Parse("""
            {"links":[
              {"link":"dcA->dcB","rate":1e9,"classes":[{"priority":"high","waiting":2},{"priority":"low","waitingBytes":10}]},
              {"link":"dcB->dcA","classes":[{"priority":"high","waiting":3}]}]}
            """);
        var waits = ThrottleWaits.ByPriority(state.RootElement).ToDictionary(w => w.Priority, w => w.Waiting);
        Assert.Equal(5, waits["high"]);
        Assert.Equal(10, waits["low"]);
    }

    [Fact]
    public void ByPriority_NoClasses_Empty()
    {
        using var state = JsonDocument.Parse("""{"rate":5,"tenants":[{"name":"x"}]}""");
        Assert.Empty(ThrottleWaits.ByPriority(state.RootElement));
    }
}
