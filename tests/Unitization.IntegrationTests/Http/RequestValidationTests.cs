using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Unitization.IntegrationTests.Http;

/// <summary>Issue 16 cases 4-6, each with the input quoted in the issue, against every role in one real host.</summary>
public sealed class RequestValidationTests(AllRolesHost host) : IClassFixture<AllRolesHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // ---- case 4: rates that break arithmetic ----

    [Theory]
    [InlineData("PUT", "/api/v1/throttle/caps/capped-job", "{\"bytesPerSecond\":1e-7,\"setBy\":\"sre\"}", "bytesPerSecond")]
    [InlineData("PUT", "/api/v1/throttle/caps/capped-job", "{\"bytesPerSecond\":5e-324,\"setBy\":\"sre\"}", "bytesPerSecond")]
    [InlineData("PUT", "/api/v1/throttle/caps/capped-job", "{\"bytesPerSecond\":0,\"setBy\":\"sre\"}", "bytesPerSecond")]
    [InlineData("PUT", "/api/v1/throttle/caps/capped-job", "{\"bytesPerSecond\":-1,\"setBy\":\"sre\"}", "bytesPerSecond")]
    [InlineData("PUT", "/api/v1/throttle/caps/capped-job", "{\"bytesPerSecond\":1e13,\"setBy\":\"sre\"}", "bytesPerSecond")]
    [InlineData("PUT", "/api/v1/throttle/caps/capped-job", "{\"bytesPerSecond\":1e400,\"setBy\":\"sre\"}", "bytesPerSecond")]
    [InlineData("PUT", "/api/v1/throttle/links/dcA/dcB/rate", "{\"bytesPerSecond\":1e-7,\"setBy\":\"sre\"}", "bytesPerSecond")]
    [InlineData("PUT", "/api/v1/throttle/links/dcA/dcB/rate", "{\"bytesPerSecond\":5e-324,\"setBy\":\"sre\"}", "bytesPerSecond")]
    [InlineData("PUT", "/api/v1/traffic/caps/capped-job", "{\"bytesPerSecond\":1e-7,\"setBy\":\"sre\"}", "bytesPerSecond")]
    [InlineData("PUT", "/api/v1/traffic/caps/capped-job", "{\"bytesPerSecond\":5e-324,\"setBy\":\"sre\"}", "bytesPerSecond")]
    [InlineData("PUT", "/api/v1/traffic/caps/capped-job", "{\"bytesPerSecond\":2000000000000,\"setBy\":\"sre\"}", "bytesPerSecond")]
    public Task Rate_OutOfRange_Is400NamingTheFieldAndChangesNothing(string method, string path, string body, string field) =>
        AssertRefusedAsync(method, path, body, field);

    [Fact]
    public async Task Lease_TenantCappedAtTheSmallestRateAndNamedByAClient_AnswersAndOthersStillGetTheLink()
    {
        using var http = host.Client();
        var (capped, _) = await SendAsync(http, "PUT", "/api/v1/throttle/caps/capped-reader", "{\"bytesPerSecond\":1,\"setBy\":\"sre\"}");
        Assert.Equal(200, capped);
        try
        {
            // what issue 16 saw: every lease on the link failing with 500 (dueTime ... 4294967294) once such a tenant asked
            var (lease, detail) = await SendAsync(http, "POST", "/api/v1/throttle/leases", "{\"link\":\"dcA->dcB\",\"tenant\":\"capped-reader\",\"bytes\":1048576,\"priority\":\"Normal\"}");
            Assert.True(lease == 200, detail);
            var (other, otherDetail) = await SendAsync(http, "POST", "/api/v1/throttle/leases", "{\"link\":\"dcA->dcB\",\"tenant\":\"someone-else\",\"bytes\":65536,\"priority\":\"Normal\"}");
            Assert.True(other == 200, otherDetail);
            var grant = await http.PostAsJsonAsync(new Uri("/api/v1/throttle/leases", UriKind.Relative), new { link = "dcA->dcB", tenant = "third", bytes = 1024, priority = "High" }, Ct);
            Assert.True((await grant.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("grantedBytes").GetInt64() > 0);

            // a WebHDFS read that names the capped job: same datacenter, so not throttled, and nothing breaks
            using var create = new HttpRequestMessage(HttpMethod.Put, new Uri("/webhdfs/v1/warehouse/issue16/capped.txt?op=CREATE&data=true&overwrite=true", UriKind.Relative)) { Content = new ByteArrayContent("hello"u8.ToArray()) };
            Assert.Equal(HttpStatusCode.Created, (await http.SendAsync(create, Ct)).StatusCode);
            using var open = new HttpRequestMessage(HttpMethod.Get, new Uri("/webhdfs/v1/warehouse/issue16/capped.txt?op=OPEN", UriKind.Relative));
            open.Headers.Add("X-Job-Id", "capped-reader");
            using var read = await http.SendAsync(open, Ct);
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            Assert.Equal("hello", await read.Content.ReadAsStringAsync(Ct));
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/healthz", UriKind.Relative), Ct)).StatusCode);
        }
        finally
        {
            await http.DeleteAsync(new Uri("/api/v1/throttle/caps/capped-reader?by=sre", UriKind.Relative), Ct);
        }
    }

    [Fact]
    public async Task WebHdfs_JobIdWithAControlCharacter_Is400NamingTheParameter()
    {
        using var http = host.Client();
        using var response = await http.GetAsync(new Uri("/webhdfs/v1/warehouse?op=LISTSTATUS&job=a%01b", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var remote = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("RemoteException");
        Assert.Equal("IllegalArgumentException", remote.GetProperty("exception").GetString());
        Assert.StartsWith("Invalid value for parameter \"job\": control character U+0001", remote.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    // ---- case 5: 500s and bare errors on bad requests ----

    [Theory]
    [InlineData("POST", "/api/v1/resolve", "{\"requests\":[null]}", "requests[0]")]
    [InlineData("POST", "/api/v1/placement/adhoc", "{\"paths\":[null]}", "paths[0]")]
    [InlineData("GET", "/api/v1/traffic/top?window=99999999d", null, "window")]
    [InlineData("PUT", "/api/v1/mounts", "{", "body")]
    [InlineData("PUT", "/api/v1/mounts", "{\"path\":5}", "path")]
    [InlineData("PUT", "/api/v1/mounts", "{\"path\":\"/issue16\",\"destinations\":[\"dcA:/x\\u0000y\"]}", "destinations[0]")]
    [InlineData("PUT", "/api/v1/mounts", "{\"path\":\"/issue16\",\"destinations\":[null]}", "destinations[0]")]
    [InlineData("PUT", "/api/v1/throttle/caps/x", "{\"bytesPerSecond\":\"fast\",\"setBy\":\"sre\"}", "bytesPerSecond")]
    [InlineData("PUT", "/api/v1/throttle/caps/x", "{\"bytesPerSecond\":1000,\"setBy\":\"s\\u0000re\"}", "setBy")]
    [InlineData("PUT", "/api/v1/throttle/caps/a%01b", "{\"bytesPerSecond\":1000,\"setBy\":\"sre\"}", "tenant")]
    [InlineData("PUT", "/api/v1/throttle/links/dcA/dcB/rate", "{\"bytesPerSecond\":[1],\"setBy\":\"sre\"}", "bytesPerSecond")]
    [InlineData("POST", "/api/v1/throttle/leases", "{\"link\":\"dcA->dcB\",\"tenant\":\"t\",\"bytes\":\"many\"}", "bytes")]
    [InlineData("POST", "/api/v1/throttle/leases", "[]", "body")]
    [InlineData("POST", "/api/v1/migrations", "{\"source\":\"dcA:/warehouse/x\",\"target\":\"dcB\",\"parallel\":\"four\"}", "parallel")]
    [InlineData("POST", "/api/v1/migrations", "{\"source\":\"dcA:/warehouse/x\",\"target\":\"dc\\u0000B\"}", "target")]
    [InlineData("POST", "/api/v1/resolve", "{\"requests\":{\"path\":\"/warehouse\"}}", "requests")]
    [InlineData("PUT", "/api/v1/traffic/caps/x", "{\"bytesPerSecond\":\"x\",\"setBy\":\"sre\"}", "bytesPerSecond")]
    [InlineData("PUT", "/api/v1/traffic/caps/x", "{\"bytesPerSecond\":1.5,\"setBy\":\"sre\"}", "bytesPerSecond")]
    [InlineData("POST", "/api/v1/placement/moves", "{\"jobs\":\"a\"}", "jobs")]
    [InlineData("POST", "/api/v1/placement/adhoc", "{\"datasets\":5}", "datasets")]
    [InlineData("GET", "/api/v1/traffic/top?limit=99999999999", null, "limit")]
    [InlineData("GET", "/api/v1/replication/versions", null, "datacenter")]
    public Task BadInput_Is400ProblemNamingTheFieldAndChangesNothing(string method, string path, string? body, string field) =>
        AssertRefusedAsync(method, path, body, field);

    [Theory]
    [InlineData("POST", "/api/v1/resolve")]
    [InlineData("PUT", "/api/v1/mounts")]
    [InlineData("POST", "/api/v1/traffic/records")]
    [InlineData("POST", "/api/v1/throttle/leases")]
    public async Task Body_50MB_Is413NamingTheLimit(string method, string path)
    {
        // the client waits for the server's answer to the headers however loaded the machine is: after the handler's
        // default second it would send the body anyway, and the server's close after its 413 broke the pipe under it
        using var http = host.Client(expectContinueTimeout: TimeSpan.FromSeconds(60));
        var body = new byte[50 << 20];
        body.AsSpan().Fill((byte)' ');
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        // as curl sends a large body: the server refuses it from the headers, before a byte of it is sent
        request.Headers.ExpectContinue = true;

        using var response = await http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.StartsWith("body: is 52,428,800 bytes; this endpoint takes at most", DetailOf(await response.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Body_ChunkedOverTheLimit_Is413()
    {
        using var http = host.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/resolve", UriKind.Relative))
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("{\"requests\":[" + string.Join(',', Enumerable.Repeat("{\"path\":\"/warehouse/x\"}", 100_000)) + "]}"))),
        };
        request.Headers.TransferEncodingChunked = true;
        request.Content.Headers.ContentType = new("application/json");

        using var response = await http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.StartsWith("body: ", DetailOf(await response.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WebHdfsCreate_FileOverTheDefaultBodyLimit_IsStored()
    {
        using var http = host.Client();
        var content = new byte[3 << 20];
        new Random(16).NextBytes(content);
        using var create = new HttpRequestMessage(HttpMethod.Put, new Uri("/webhdfs/v1/warehouse/issue16/big.bin?op=CREATE&data=true&overwrite=true", UriKind.Relative)) { Content = new ByteArrayContent(content) };

        Assert.Equal(HttpStatusCode.Created, (await http.SendAsync(create, Ct)).StatusCode);
        Assert.Equal(content, await http.GetByteArrayAsync(new Uri("/webhdfs/v1/warehouse/issue16/big.bin?op=OPEN", UriKind.Relative), Ct));
    }

    // ---- case 6: the Host header steers internal calls ----

    [Theory]
    [InlineData("GET", "/api/v1/traffic/caps", null)]
    [InlineData("PUT", "/api/v1/traffic/caps/host-header-job", "{\"bytesPerSecond\":1000,\"setBy\":\"sre\"}")]
    [InlineData("DELETE", "/api/v1/traffic/caps/host-header-job?setBy=sre", null)]
    [InlineData("GET", "/api/v1/traffic/throttle", null)]
    [InlineData("GET", "/api/v1/traffic/suggestions", null)]
    [InlineData("GET", "/api/v1/traffic/dashboard", null)]
    public async Task AnalyticsCall_HostHeaderNamesAnotherListener_NeverCallsIt(string method, string path, string? body)
    {
        var trap = new TcpListener(IPAddress.Loopback, 0);
        trap.Start();
        try
        {
            using var http = host.Client();
            using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
            request.Headers.Host = $"127.0.0.1:{((IPEndPoint)trap.LocalEndpoint).Port}";
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }

            using var response = await http.SendAsync(request, Ct);

            Assert.True((int)response.StatusCode < 500, await response.Content.ReadAsStringAsync(Ct));
            Assert.False(trap.Pending(), $"{method} {path} with a Host header naming another listener connected to it");
        }
        finally
        {
            trap.Stop();
        }
    }

    [Fact]
    public async Task AnalyticsCapPut_HostHeaderNamesAnotherListener_ReachesThisProcessThrottle()
    {
        using var http = host.Client();
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri("/api/v1/traffic/caps/routed-by-config", UriKind.Relative))
        {
            Content = new StringContent("{\"bytesPerSecond\":2000,\"setBy\":\"sre\"}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Host = "127.0.0.1:18499";

        using var response = await http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var caps = await http.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/throttle/caps", UriKind.Relative), Ct);
        Assert.Contains(caps.EnumerateArray(), c => c.GetProperty("tenant").GetString() == "routed-by-config" && c.GetProperty("bytesPerSecond").GetDouble() == 2000);
        await http.DeleteAsync(new Uri("/api/v1/throttle/caps/routed-by-config?by=sre", UriKind.Relative), Ct);
    }

    /// <summary>The request is a 400 whose detail starts with the field, and what the roles store is as it was.</summary>
    private async Task AssertRefusedAsync(string method, string path, string? body, string field)
    {
        using var http = host.Client();
        var before = await StoredState.SnapshotAsync(http, Ct);

        var (status, detail) = await SendAsync(http, method, path, body);

        Assert.Equal(400, status);
        Assert.StartsWith(field, detail, StringComparison.Ordinal);
        Assert.Equal(before, await StoredState.SnapshotAsync(http, Ct));
    }

    private static async Task<(int Status, string Detail)> SendAsync(HttpClient http, string method, string path, string? body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request, Ct);
        return ((int)response.StatusCode, DetailOf(await response.Content.ReadAsStringAsync(Ct)));
    }

    private static string DetailOf(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.TryGetProperty("detail", out var detail) ? detail.GetString() ?? string.Empty : text;
        }
        catch (JsonException)
        {
            return text;
        }
    }
}
