using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Unitization.Namespaces.Configuration;
using Unitization.Replication.Cli;
using Unitization.TestUtils;

namespace Unitization.Replication.Tests.Cli;

/// <summary><c>migrate</c> and <c>replication dead-letters</c> read the configuration as <c>serve</c> does.</summary>
public sealed class CliServicesTests : IDisposable
{
    private readonly TempDirectory _data = new("replication-cli");
    private readonly TempDirectory _elsewhere = new("replication-cli-env");

    public void Dispose()
    {
        _data.Dispose();
        _elsewhere.Dispose();
    }

    [Fact]
    public async Task BuildAsync_EnvironmentOverridesTheFile_AndDataOverridesTheEnvironment()
    {
        Environment.SetEnvironmentVariable("UNITIZATION_Replication__MigrationChunkSize", "2097153");
        Environment.SetEnvironmentVariable("UNITIZATION_DataFolder", _elsewhere.Path);
        try
        {
            await using var services = await CliServices.BuildAsync(new FileInfo(RepositoryPaths.ShippedConfig), _data.Path, TestContext.Current.CancellationToken);

            // a fleet's settings come as UNITIZATION_ variables (its state store, its throttle): the verbs must see them
            Assert.Equal(2097153, services.GetRequiredService<IOptions<ReplicationOptions>>().Value.MigrationChunkSize);
            Assert.Equal(Path.GetFullPath(_data.Path), Path.GetFullPath(services.GetRequiredService<IOptions<TopologyOptions>>().Value.DataFolder));
        }
        finally
        {
            Environment.SetEnvironmentVariable("UNITIZATION_Replication__MigrationChunkSize", null);
            Environment.SetEnvironmentVariable("UNITIZATION_DataFolder", null);
        }
    }

    [Theory]
    [InlineData("Replication", "MigrationChunkSise", "4194304", "unknown configuration key Replication:MigrationChunkSise")]
    [InlineData("Kafka", "BootstrapServer", "\"kafka:9092\"", "unknown configuration key Kafka:BootstrapServer")]
    [InlineData("Replication", "RulesTimeout", "\"00:00:00.001\"", "Replication:RulesTimeout: ")]
    public async Task BuildAsync_MisspeltKeyOrBadValue_SaysSoNamingTheFile_AsServeDoes(string section, string key, string json, string expected)
    {
        // migrate and dead-letters used to bind these sections leniently: a misspelt key was silently ignored
        var config = JsonNode.Parse(await File.ReadAllTextAsync(RepositoryPaths.ShippedConfig, TestContext.Current.CancellationToken),
            documentOptions: new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true })!;
        config[section]![key] = JsonNode.Parse(json);
        var file = Path.Combine(_elsewhere.Path, "unitization.json");
        await File.WriteAllTextAsync(file, config.ToJsonString(), TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => CliServices.BuildAsync(new FileInfo(file), _data.Path, TestContext.Current.CancellationToken));

        Assert.StartsWith(Path.GetFullPath(file) + ": ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
