using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Unitization.TestUtils.Security;
using Unitization.Host.Hosting;
using Unitization.Namespaces;
using Unitization.TestUtils;
using Unitization.TestUtils.Servers;

namespace Unitization.IntegrationTests.Namespaces;

/// <summary>
/// Issue 16 case 1 through the real host: <c>MKDIRS</c> of <c>/warehouse/x/</c> plus 30 names of 250 'e' on the WebHDFS
/// gateway over the shipped configuration's local namespaces. Refused with a 400 naming the limit, nothing logged, the
/// namespace still writable, and it opens again after a restart.
/// </summary>
public sealed class GatewayPathLimitTests : IDisposable
{
    private readonly TempDirectory _data = new("gateway-limits");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Mkdirs_PathTheDiskCannotHold_400NothingLoggedStillWritableAndOpensAgain()
    {
        var tooLong = "/warehouse/x/" + string.Join('/', Enumerable.Repeat(new string('e', 250), 30));
        var app = await StartAsync();
        try
        {
            using var http = new TestHttpClient { BaseAddress = new Uri(app.Urls.First()) };
            var dcA = app.Services.GetRequiredService<INamespaceCatalog>().Get("dcA");
            var before = dcA.LastTxId;

            using var refused = await http.PutAsync(new Uri($"/webhdfs/v1{tooLong}?op=MKDIRS", UriKind.Relative), null, Ct);
            var body = await refused.Content.ReadAsStringAsync(Ct);
            using var accepted = await http.PutAsync(new Uri("/webhdfs/v1/warehouse/y?op=MKDIRS", UriKind.Relative), null, Ct);

            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("PATH_MAX", body, StringComparison.Ordinal);
            Assert.Contains("IllegalArgumentException", body, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
            Assert.Equal(before.Value + 1, dcA.LastTxId.Value);
        }
        finally
        {
            await StopAsync(app);
        }

        var restarted = await StartAsync();
        try
        {
            using var http = new TestHttpClient { BaseAddress = new Uri(restarted.Urls.First()) };
            using var again = await http.PutAsync(new Uri("/webhdfs/v1/warehouse/z?op=MKDIRS", UriKind.Relative), null, Ct);
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }
        finally
        {
            await StopAsync(restarted);
        }
    }

    private async Task<WebApplication> StartAsync()
    {
        var app = UnitizationHost.Build(new ServeSettings(
            RepositoryPaths.ShippedConfig, Role.Router, "http://127.0.0.1:0", TestServers.Kafka ?? "127.0.0.1:9", _data.Path,
            new Dictionary<string, string?> { ["NamespaceAccess"] = "write" }));
        await app.StartAsync(Ct);
        return app;
    }

    private static async Task StopAsync(WebApplication app)
    {
        await app.StopAsync(Ct);
        await app.DisposeAsync();
    }
}
