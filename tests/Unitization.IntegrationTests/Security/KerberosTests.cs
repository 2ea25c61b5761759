using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Unitization.Host.Hosting;
using Unitization.IntegrationTests.Processes;
using Unitization.TestUtils;
using Unitization.TestUtils.Servers;

namespace Unitization.IntegrationTests.Security;

/// <summary>
/// SPNEGO against the real KDC infra/test.sh starts: <c>kinit</c>, then <c>curl --negotiate -u :</c>, the
/// <c>unitization</c> CLI and an <c>HttpClient</c> with the default credentials, all from the ticket cache. alice is an
/// operator by <c>Security:Principals</c>; bob is a principal of the realm with no role.
/// </summary>
[Collection(nameof(KerberosTests))] // one ticket cache: the tests of this class take turns
public sealed class KerberosTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new("kerberos");
    private WebApplication _app = null!;
    private Uri _base = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var realm = KerberosRealm.Require();
        var port = FreePort();
        // clients ask for HTTP/<host>: the service's principal is HTTP/localhost
        _base = new Uri($"http://localhost:{port}");
        _app = UnitizationHost.Build(new ServeSettings(
            RepositoryPaths.ShippedConfig, Role.Router | Role.Throttle, $"http://127.0.0.1:{port}", TestServers.Kafka ?? "127.0.0.1:9", _data.Path,
            new Dictionary<string, string?>
            {
                ["Security:Kerberos:Enabled"] = "true",
                ["Security:Kerberos:Keytab"] = Path.Combine(realm, "http.keytab"),
                ["Security:Principals:0:Name"] = "alice@" + KerberosRealm.Realm,
                ["Security:Principals:0:Roles:0"] = "operator",
            }));
        await _app.StartAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await KerberosRealm.KdestroyAsync(CancellationToken.None);
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task Curl_Negotiate_WithATicket_IsServedAndWithoutOne_Is401()
    {
        await KerberosRealm.KdestroyAsync(Ct);
        var (_, refused) = await KerberosRealm.RunAsync("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "--negotiate", "-u", ":", new Uri(_base, "/api/v1/mounts").ToString()], Ct);
        Assert.Equal("401", refused.Trim());

        await KerberosRealm.KinitAsync("alice", Ct);
        var (_, body) = await KerberosRealm.RunAsync("curl", ["-sS", "-f", "--negotiate", "-u", ":", new Uri(_base, "/api/v1/mounts").ToString()], Ct);
        Assert.Contains("/warehouse", body, StringComparison.Ordinal);
        // an operator may set a cap
        var (_, cap) = await KerberosRealm.RunAsync("curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "--negotiate", "-u", ":", "-X", "PUT",
            "-H", "Content-Type: application/json", "-d", "{\"bytesPerSecond\":1000000,\"setBy\":\"alice\"}", new Uri(_base, "/api/v1/throttle/caps/kerberos-tenant").ToString()], Ct);
        Assert.Equal("200", cap.Trim());
        // but not swap mounts
        var (_, swap) = await KerberosRealm.RunAsync("curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "--negotiate", "-u", ":", "-X", "PUT",
            "-H", "Content-Type: application/json", "-d", "{\"path\":\"/warehouse\",\"destinations\":[\"dcB:/warehouse\",\"dcA:/warehouse\"]}", new Uri(_base, "/api/v1/mounts").ToString()], Ct);
        Assert.Equal("403", swap.Trim());
    }

    [Fact]
    public async Task HttpClient_DefaultCredentials_FromTheTicketCache_IsServed()
    {
        await KerberosRealm.KinitAsync("alice", Ct);
        using var http = TicketCacheClient();
        using var response = await http.GetAsync(new Uri("/api/v1/throttle/state", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Principal_WithNoRole_Is403()
    {
        await KerberosRealm.KinitAsync("bob", Ct);
        using var http = TicketCacheClient();
        using var response = await http.GetAsync(new Uri("/api/v1/throttle/state", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("bob@" + KerberosRealm.Realm, await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GarbageNegotiateToken_Is401()
    {
        using var http = new HttpClient { BaseAddress = _base };
        http.DefaultRequestHeaders.Add("Authorization", "Negotiate " + Convert.ToBase64String("not a kerberos token"u8.ToArray()));
        using var response = await http.GetAsync(new Uri("/api/v1/throttle/state", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Cli_WithoutToken_UsesTheTicketCache()
    {
        await KerberosRealm.KinitAsync("alice", Ct);
        // no UNITIZATION_TOKEN: the CLI falls back to Negotiate
        using var cli = CollectedProcess.StartUnitization(
            ["resolve", "/warehouse/sales/orders", "--client-ip", "10.2.0.7", "--url", _base.ToString(), "--json"],
            new Dictionary<string, string?> { ["UNITIZATION_TOKEN"] = null });
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await cli.Process.WaitForExitAsync(timeout.Token);
        Assert.True(cli.Process.ExitCode == 0, cli.Output);
        Assert.Contains("\"datacenter\"", cli.Output, StringComparison.Ordinal);

        await KerberosRealm.KdestroyAsync(Ct);
        using var refused = CollectedProcess.StartUnitization(
            ["resolve", "/warehouse/sales/orders", "--url", _base.ToString()],
            new Dictionary<string, string?> { ["UNITIZATION_TOKEN"] = null });
        await refused.Process.WaitForExitAsync(timeout.Token);
        Assert.NotEqual(0, refused.Process.ExitCode);
    }

    private HttpClient TicketCacheClient() => new(new SocketsHttpHandler { Credentials = CredentialCache.DefaultCredentials }) { BaseAddress = _base };

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
