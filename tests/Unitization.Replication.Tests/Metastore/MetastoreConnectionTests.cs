using Microsoft.Extensions.Options;
using Unitization.Namespaces.Configuration;
using Unitization.Replication.Metastore;
using Unitization.TestUtils;

namespace Unitization.Replication.Tests.Metastore;

public sealed class MetastoreConnectionTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("\n")]
    public async Task GetAsync_AddressFileMissingOrEmpty_ThrowsIOException_WhichThePumpRetries(string? content)
    {
        if (content is not null)
        {
            await File.WriteAllTextAsync(_temp.Combine("sample-hms.uri"), content, TestContext.Current.CancellationToken);
        }

        await using var connection = new MetastoreConnection(Options.Create(new ReplicationOptions()), Options.Create(new TopologyOptions { DataFolder = _temp.Path }));

        var ex = await Assert.ThrowsAsync<IOException>(() => connection.GetAsync(TestContext.Current.CancellationToken));
        Assert.True(Unitization.Replication.Pump.EventPump.IsMetastoreFailure(ex));
        Assert.Contains("sample-hms.uri", ex.Message, StringComparison.Ordinal);
    }
}
