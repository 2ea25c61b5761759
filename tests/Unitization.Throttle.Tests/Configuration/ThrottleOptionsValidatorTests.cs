using Unitization.Throttle.Configuration;

namespace Unitization.Throttle.Tests.Configuration;

public sealed class ThrottleOptionsValidatorTests
{
    private readonly ThrottleOptionsValidator _validator = new();

    [Fact]
    public void Validate_ShippedDefaultsWithALink_Succeeds()
    {
        var options = new ThrottleOptions { Links = [new LinkOptions { From = "dcA", To = "dcB", BytesPerSecond = 1e8 }] };

        Assert.True(_validator.Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validate_BadInput_NamesEveryKeyThatIsWrong()
    {
        var options = new ThrottleOptions
        {
            Links =
            [
                new LinkOptions { From = "dcA", To = "dcB", BytesPerSecond = 1e8 },
                new LinkOptions { From = "dcA", To = "dcB", BytesPerSecond = 1e8 },
                new LinkOptions { From = "dcA", To = "dcA", BytesPerSecond = 0 },
            ],
            Floors = new ClassFloorOptions { High = 0.6, Normal = 0.3, Low = 0.2 },
            TenantWeights = { ["rule-x"] = 0 },
            ServiceUrl = [new Uri("ftp://throttle")],
            LeaseSlice = TimeSpan.FromSeconds(5),
            LeaseTtl = TimeSpan.FromSeconds(2),
        };

        var failures = _validator.Validate(null, options).Failures!.ToArray();

        Assert.Contains(failures, f => f.StartsWith("Links:1: link dcA->dcB is listed twice", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Links:2: From and To are both 'dcA'", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Links:2:BytesPerSecond:", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Floors: the floors add up to 1.1", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("TenantWeights:rule-x:", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("ServiceUrl:", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("LeaseTtl:", StringComparison.Ordinal));
    }
}
