using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Unitization.DataManager.Hosting;
using Unitization.TestUtils;

namespace Unitization.DataManager.Tests.Readiness;

public class DataManagerOptionsBindingTests
{
    [Theory]
    [InlineData("null")]
    [InlineData("\"\"")]
    [InlineData("[]")]
    public void RouterUrls_ArrayOverAnEmptyValueInTheFile_ArrayWins(string inFile)
    {
        // a file's "RouterUrls": null under a fleet's UNITIZATION_DataManager__RouterUrls__0, __1: the empty value hid
        // the array, and readiness was "unknown" for want of a router
        var configuration = LayeredConfiguration.FileThen($$"""{ "DataManager": { "RouterUrls": {{inFile}} } }""", new Dictionary<string, string?>
        {
            ["DataManager:Datacenters:0:Id"] = "dcA",
            ["DataManager:RouterUrls:0"] = "http://r1:8080",
            ["DataManager:RouterUrls:1"] = "http://r2:8080",
        });
        using var services = new ServiceCollection().AddLogging().AddDataManager(configuration).BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<DataManagerOptions>>().Value;

        Assert.Equal([new Uri("http://r1:8080/"), new Uri("http://r2:8080/")], options.RouterUrls);
    }

    [Fact]
    public void NoDatacenterListed_SaysSo_RatherThanAnIndexError()
    {
        // validation reads every property; DefaultDatacenterId indexed the empty list and the start failed with
        // "Index was out of range"
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["DataManager:RefreshCron"] = "0 0 2 * * ?" }).Build();
        using var services = new ServiceCollection().AddLogging().AddDataManager(configuration).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<DataManagerOptions>>().Value);

        Assert.Contains("At least one datacenter must be listed.", error.Message, StringComparison.Ordinal);
    }
}
