using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Unitization.TestUtils;
using Unitization.Throttle.Configuration;
using Unitization.Throttle.Hosting;

namespace Unitization.Throttle.Tests.Configuration;

public sealed class ThrottleOptionsBindingTests
{
    [Fact]
    public void ServiceUrl_AsAJsonArray_ListsEveryInstanceInOrder()
    {
        // "ServiceUrl": ["http://t1:8080", "http://t2:8080"] in appsettings.json, a fleet's throttles as an array (the
        // binder cannot put it in the string: startup failed with "Cannot create instance of type 'System.String'")
        var urls = Bound(new Dictionary<string, string?>
        {
            ["Throttle:ServiceUrl:0"] = "http://t1:8080",
            ["Throttle:ServiceUrl:1"] = "http://t2:8080/",
            ["Throttle:ServiceUrl:2"] = " http://t3:8080 ",
        });

        Assert.Equal([new Uri("http://t1:8080/"), new Uri("http://t2:8080/"), new Uri("http://t3:8080/")], urls);
    }

    [Fact]
    public void ServiceUrl_CommaSeparated_ListsEveryInstanceInOrder()
    {
        var urls = Bound(new Dictionary<string, string?> { ["Throttle:ServiceUrl"] = "http://t1:8080, http://t2:8080" });

        Assert.Equal([new Uri("http://t1:8080/"), new Uri("http://t2:8080/")], urls);
    }

    [Theory]
    [InlineData("\"\"")]
    [InlineData("null")]
    [InlineData("[]")]
    public void ServiceUrl_ArrayOverTheShippedEmptyValue_ArrayWins(string shipped)
    {
        // the shipped file says "ServiceUrl": ""; a fleet names its throttles as UNITIZATION_Throttle__ServiceUrl__0, __1:
        // the empty value hid the array and every client budgeted its links alone, at their full rate
        var urls = Bound(new Dictionary<string, string?> { ["Throttle:ServiceUrl:0"] = "http://t1:8080", ["Throttle:ServiceUrl:1"] = "http://t2:8080" }, shipped);

        Assert.Equal([new Uri("http://t1:8080/"), new Uri("http://t2:8080/")], urls);
    }

    [Fact]
    public void ServiceUrl_ArrayEntryNotAUrl_SaysWhichKeyAndEntry()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            Bound(new Dictionary<string, string?> { ["Throttle:ServiceUrl:0"] = "http://t1:8080", ["Throttle:ServiceUrl:1"] = "t2" }, "\"\""));

        Assert.Equal("Throttle:ServiceUrl: 't2' is not an absolute URL (expected e.g. http://host:8080, several separated by commas).", error.Message);
    }

    private static IReadOnlyList<Uri> Bound(Dictionary<string, string?> settings, string? shipped = null)
    {
        var configuration = LayeredConfiguration.FileThen(shipped is null ? "{}" : $$"""{ "Throttle": { "ServiceUrl": {{shipped}} } }""", settings);
        using var provider = new ServiceCollection().AddLogging().AddThrottleClient(configuration).BuildServiceProvider();
        return provider.GetRequiredService<IOptions<ThrottleOptions>>().Value.ServiceUrl;
    }
}
