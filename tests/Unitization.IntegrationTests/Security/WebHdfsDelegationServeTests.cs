using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Unitization.Host.Hosting;
using Unitization.TestUtils;
using Unitization.TestUtils.Security;
using Unitization.TestUtils.Servers;

namespace Unitization.IntegrationTests.Security;

/// <summary>
/// Issue 19: a WebHDFS delegation token obtained with Kerberos (kinit, curl --negotiate) through the real host, used by
/// a client without a ticket, renewed, cancelled and then refused; and the same with an API token for automation.
/// </summary>
[Collection("KerberosTests")] // one ticket cache for every Kerberos test: they take turns
public sealed class WebHdfsDelegationServeTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new("delegation");
    private WebApplication _app = null!;
    private Uri _base = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var port = FreePort();
        _base = new Uri($"http://localhost:{port}"); // SPNEGO clients ask for HTTP/localhost
        var realm = Environment.GetEnvironmentVariable(KerberosRealm.Variable);
        var overrides = new Dictionary<string, string?>
        {
            ["NamespaceAccess"] = "write", // a router-only process writes through its gateway
            ["Security:Principals:0:Name"] = "alice@" + KerberosRealm.Realm,
            ["Security:Principals:0:Roles:0"] = "reader",
            ["Router:WebHdfs:WriteAcl:0:Path"] = "/warehouse",
            ["Router:WebHdfs:WriteAcl:0:Users:0"] = "alice",
        };
        if (realm is { Length: > 0 })
        {
            overrides["Security:Kerberos:Enabled"] = "true";
            overrides["Security:Kerberos:Keytab"] = Path.Combine(realm, "http.keytab");
        }

        _app = UnitizationHost.Build(new ServeSettings(RepositoryPaths.ShippedConfig, Role.Router, $"http://127.0.0.1:{port}", TestServers.Kafka ?? "127.0.0.1:9", _data.Path, overrides));
        await _app.StartAsync(Ct);
        using var admin = new TestHttpClient { BaseAddress = _base };
        using var create = await admin.PutAsync(new Uri("/webhdfs/v1/warehouse/tokens/part-0?op=CREATE&data=true&overwrite=true", UriKind.Relative), new StringContent("token bytes"), Ct);
        Assert.Equal(HttpStatusCode.Created, create.StatusCode);
    }

    public async ValueTask DisposeAsync()
    {
        if (Environment.GetEnvironmentVariable(KerberosRealm.Variable) is { Length: > 0 })
        {
            await KerberosRealm.KdestroyAsync(CancellationToken.None);
        }

        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        _data.Dispose();
    }

    private async Task<(string Status, string Body)> CurlNegotiateAsync(string method, string pathAndQuery)
    {
        var (_, output) = await KerberosRealm.RunAsync("curl", ["-sS", "-w", "\n%{http_code}", "--negotiate", "-u", ":", "-X", method, new Uri(_base, pathAndQuery).ToString()], Ct);
        var newline = output.TrimEnd().LastIndexOf('\n');
        return (output.TrimEnd()[(newline + 1)..], output[..Math.Max(0, newline)]);
    }

    private async Task<HttpResponseMessage> WithoutTicketAsync(HttpMethod method, string pathAndQuery)
    {
        using var plain = new HttpClient { BaseAddress = _base };
        return await plain.SendAsync(new HttpRequestMessage(method, new Uri(pathAndQuery, UriKind.Relative)), Ct);
    }

    [Fact]
    public async Task DelegationToken_FromKerberos_UsedWithoutATicketRenewedCancelledThenRefused()
    {
        KerberosRealm.Require();
        await KerberosRealm.KinitAsync("alice", Ct);
        var (status, body) = await CurlNegotiateAsync("GET", "/webhdfs/v1/?op=GETDELEGATIONTOKEN&renewer=alice");
        Assert.True(status == "200", body);
        var token = JsonDocument.Parse(body).RootElement.GetProperty("Token").GetProperty("urlString").GetString()!;
        await KerberosRealm.KdestroyAsync(Ct);

        // no ticket, no header: the token alone reads, and writes where the ACL names alice
        using (var read = await WithoutTicketAsync(HttpMethod.Get, $"/webhdfs/v1/warehouse/tokens/part-0?op=OPEN&delegation={token}"))
        {
            Assert.Equal((HttpStatusCode.OK, "token bytes"), (read.StatusCode, await read.Content.ReadAsStringAsync(Ct)));
        }

        using (var mkdir = await WithoutTicketAsync(HttpMethod.Put, $"/webhdfs/v1/warehouse/tokens/made-by-token?op=MKDIRS&delegation={token}"))
        {
            Assert.Equal(HttpStatusCode.OK, mkdir.StatusCode);
        }

        using (var noCredential = await WithoutTicketAsync(HttpMethod.Get, "/webhdfs/v1/warehouse/tokens/part-0?op=OPEN"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, noCredential.StatusCode);
        }

        await KerberosRealm.KinitAsync("alice", Ct);
        (status, body) = await CurlNegotiateAsync("PUT", $"/webhdfs/v1/?op=RENEWDELEGATIONTOKEN&token={token}");
        Assert.True(status == "200", body);
        Assert.True(JsonDocument.Parse(body).RootElement.GetProperty("long").GetInt64() > DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        (status, body) = await CurlNegotiateAsync("PUT", $"/webhdfs/v1/?op=CANCELDELEGATIONTOKEN&token={token}");
        Assert.True(status == "200", body);

        using var refused = await WithoutTicketAsync(HttpMethod.Get, $"/webhdfs/v1/warehouse/tokens/part-0?op=OPEN&delegation={token}");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("InvalidToken", (await refused.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("RemoteException").GetProperty("exception").GetString());
    }

    [Fact]
    public async Task DelegationToken_FromAnApiToken_ReadsAndIsRefusedAfterCancel()
    {
        using var admin = new TestHttpClient { BaseAddress = _base };
        var issued = await admin.GetFromJsonAsync<JsonElement>(new Uri("/webhdfs/v1/?op=GETDELEGATIONTOKEN", UriKind.Relative), Ct);
        var token = issued.GetProperty("Token").GetProperty("urlString").GetString()!;

        using (var read = await WithoutTicketAsync(HttpMethod.Get, $"/webhdfs/v1/warehouse/tokens?op=LISTSTATUS&delegation={token}"))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }

        using (var forged = await WithoutTicketAsync(HttpMethod.Get, $"/webhdfs/v1/warehouse/tokens?op=LISTSTATUS&delegation={token[..10]}{(token[10] == 'A' ? 'B' : 'A')}{token[11..]}"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        }

        using (var cancel = await admin.PutAsync(new Uri($"/webhdfs/v1/?op=CANCELDELEGATIONTOKEN&token={token}", UriKind.Relative), null, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        }

        using var refused = await WithoutTicketAsync(HttpMethod.Get, $"/webhdfs/v1/warehouse/tokens?op=LISTSTATUS&delegation={token}");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
