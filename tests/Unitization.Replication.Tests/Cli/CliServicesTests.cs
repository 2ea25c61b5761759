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
}
