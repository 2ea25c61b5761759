using Microsoft.AspNetCore.Builder;
using Unitization.Host.Hosting;
using Unitization.Namespaces.Configuration;
using Unitization.TestUtils;

namespace Unitization.IntegrationTests.Hosting;

public sealed class ConfigurationErrorTests : IDisposable
{
    private readonly TempDirectory _dir = new("config");

    [Fact]
    public void Build_MalformedJson_NamesFileAndLine()
    {
        var path = Write("{\n  \"Kafka\": {\n    \"BootstrapFile\": \"x\",,\n  }\n}");
        var ex = Assert.Throws<ConfigurationFileException>(() => UnitizationHost.Build(Settings(path)));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("line 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_UnknownTopLevelKey_NamesTheKey()
    {
        var path = Write("""{ "Datacenters": [ { "Id": "dcA", "Root": "dcA" } ], "Kafak": {} }""");
        var ex = Assert.Throws<ConfigurationFileException>(() => UnitizationHost.Build(Settings(path)));
        Assert.Contains("unknown key 'Kafak'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_InvalidValue_DescribesSectionAndKey()
    {
        var path = Write("""{ "Datacenters": [ { "Id": "dcA" } ], "Kafka": { "BootstrapServers": "127.0.0.1:1" } }""");
        var message = await StartFailureAsync(path);
        Assert.Contains("Datacenters:0:Root", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_MisspelledNestedKey_DescribesSectionAndKey()
    {
        var path = Write("""{ "Datacenters": [ { "Id": "dcA", "Root": "a" } ], "Kafka": { "BootstrapServer": "127.0.0.1:1" } }""");
        var message = await StartFailureAsync(path);
        Assert.Contains("Kafka:BootstrapServer", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ServiceUrlNotAUrl_SaysWhichEntry()
    {
        // the binder's own words name the key and the value but not what is wrong with it
        var path = Write("""{ "Datacenters": [ { "Id": "dcA", "Root": "a" } ], "Throttle": { "ServiceUrl": "http://t1:8080,t2" } }""");
        var message = await StartFailureAsync(path);
        Assert.Contains("'Throttle:ServiceUrl'", message, StringComparison.Ordinal);
        Assert.Contains("'t2' is not an absolute URL", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ServiceUrlArrayEntryNotAUrl_SaysWhichEntryOnce()
    {
        // the array is read after binding, and its error already names the key and the entry
        var path = Write("""{ "Datacenters": [ { "Id": "dcA", "Root": "a" } ], "Throttle": { "ServiceUrl": [ "http://t1:8080", "t2" ] } }""");
        var message = await StartFailureAsync(path);
        const string Entry = "'t2' is not an absolute URL";
        Assert.StartsWith("Throttle:ServiceUrl: " + Entry, message, StringComparison.Ordinal);
        Assert.Equal(message.IndexOf(Entry, StringComparison.Ordinal), message.LastIndexOf(Entry, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_UnknownRole_ListsValidRoles()
    {
        var ex = Assert.Throws<FormatException>(() => RoleList.Parse("datamanager,routr"));
        Assert.Contains("routr", ex.Message, StringComparison.Ordinal);
        Assert.Contains("router", ex.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();

    private async Task<string> StartFailureAsync(string path)
    {
        var app = UnitizationHost.Build(Settings(path));
        try
        {
            var ex = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync(TestContext.Current.CancellationToken));
            return OptionsFailure.Describe(ex, path);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    private ServeSettings Settings(string path) => new(path, Role.Throttle, "http://127.0.0.1:0", DataFolder: _dir.Combine("data"));

    private string Write(string json)
    {
        var path = _dir.Combine("config.json");
        File.WriteAllText(path, json);
        return path;
    }
}
