using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Unitization.Host.Hosting;
using Unitization.Namespaces;
using Unitization.SampleHms;
using Unitization.TestUtils;
using Unitization.TestUtils.Servers;

namespace Unitization.IntegrationTests.Replication;

/// <summary>
/// <c>serve --sample-hms</c> with the shipped config: the sample HMS writes sales.orders in dcA through the host's own
/// namespaces (the host holds dcA's writer lock), and the replicator copies it to dcB by the pinned rule.
/// </summary>
public sealed class ServeSampleHmsTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _data = new("serve-hms");

    [Fact]
    public async Task Serve_SampleHms_ReplicatesPinnedTableToDcB_AndRemovesAddressFileOnStop()
    {
        var ct = TestContext.Current.CancellationToken;
        var app = UnitizationHost.Build(new ServeSettings(
            RepositoryPaths.ShippedConfig,
            RoleList.Parse("datamanager,replicator"),
            "http://127.0.0.1:0",
            TestServers.RequireKafka(),
            _data.Path,
            SampleHms: new SampleHmsSettings(TimeSpan.FromMilliseconds(200))));
        var uriFile = Path.Combine(_data.Path, "sample-hms.uri");
        await app.StartAsync(ct);
        try
        {
            Assert.StartsWith("thrift://127.0.0.1:", await File.ReadAllTextAsync(uriFile, ct), StringComparison.Ordinal);
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
            var versions = new Uri("/api/v1/replication/versions?datacenter=dcB&prefix=/warehouse", UriKind.Relative);
            JsonElement records = default;
            var replicated = await Eventually.TrueAsync(
                async () =>
                {
                    records = await http.GetFromJsonAsync<JsonElement>(versions, ct);
                    return records.EnumerateArray().Any(r => r.GetProperty("path").GetString() == "/warehouse/sales/orders" && r.GetProperty("sourceTxId").GetProperty("value").GetInt64() > 1);
                },
                Deadline,
                ct);
            Assert.True(replicated, $"no commit record for /warehouse/sales/orders in dcB after several INSERTs: {records}");
            var dcB = app.Services.GetRequiredService<INamespaceCatalog>().Get("dcB");
            Assert.NotNull(await dcB.GetStatusAsync("/warehouse/sales/orders/part-00000", ct));
        }
        finally
        {
            await app.StopAsync(ct);
            await app.DisposeAsync();
        }

        Assert.False(File.Exists(uriFile), "the sample HMS's address file outlived the service");
    }

    public void Dispose() => _data.Dispose();
}
