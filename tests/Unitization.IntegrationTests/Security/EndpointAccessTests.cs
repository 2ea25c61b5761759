using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Unitization.Host.Security;
using Unitization.IntegrationTests.Http;
using Unitization.TestUtils.Security;

namespace Unitization.IntegrationTests.Security;

/// <summary>
/// Every endpoint the app maps has a role (the table in EndpointAccess), JWTs are checked (expired, tampered, wrong
/// audience → 401), and the attacks issue #19 found as an outsider are refused.
/// </summary>
public sealed class EndpointAccessTests(AllRolesHost host) : IClassFixture<AllRolesHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void EveryEndpoint_HasARoleOrIsHealthz()
    {
        var problems = new List<string>();
        foreach (var endpoint in host.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = "/" + (endpoint.RoutePattern.RawText ?? string.Empty).TrimStart('/');
            if (pattern == "/healthz")
            {
                Assert.NotNull(endpoint.Metadata.GetMetadata<IAllowAnonymous>());
                continue;
            }

            if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            {
                problems.Add($"{pattern} is open to anonymous callers");
            }

            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"];
            foreach (var method in methods.Where(m => EndpointAccess.Find(m, pattern) is null))
            {
                problems.Add($"{method} {pattern} has no row in EndpointAccess.Table (it falls back to admin-only)");
            }

            if (endpoint.Metadata.GetMetadata<ApiAccess>() is null)
            {
                problems.Add($"{pattern} has no ApiAccess policy");
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public async Task Healthz_WithoutCredential_IsOpen()
    {
        using var http = Anonymous();
        using var response = await http.GetAsync(new Uri("/healthz", UriKind.Relative), Ct);
        Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/v1/mounts")]
    [InlineData("/api/v1/resolve?path=/warehouse/x")]
    [InlineData("/metrics")]
    [InlineData("/openapi/v1.json")]
    [InlineData("/webhdfs/v1/warehouse?op=LISTSTATUS")]
    [InlineData("/analytics")]
    public async Task Read_WithoutCredential_Is401(string path)
    {
        using var http = Anonymous();
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData(TestCredentials.ReaderToken)]
    [InlineData(TestCredentials.AdminToken)]
    public async Task PathNoEndpointServes_Is404SayingSo_AnonymousStill401(string token)
    {
        using var http = Anonymous();
        using (var anonymous = await http.GetAsync(new Uri("/api/v1/no-such-thing", UriKind.Relative), Ct))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.GetAsync(new Uri("/api/v1/no-such-thing", UriKind.Relative), Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("no endpoint of this process serves GET /api/v1/no-such-thing (GET /healthz lists the roles it runs", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TestCredentials.ReaderToken)]
    [InlineData(TestCredentials.AdminToken)]
    public async Task MethodThePathIsNotServedFor_Is405WithAllow_NotA403(string token)
    {
        using var http = Anonymous();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var request = new HttpRequestMessage(HttpMethod.Patch, new Uri("/api/v1/mounts", UriKind.Relative));
        using var response = await http.SendAsync(request, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Contains("GET", response.Content.Headers.Allow);
        Assert.Contains("PATCH is not allowed on /api/v1/mounts (it takes ", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Jwt_WithTheRole_Succeeds()
    {
        using var response = await SendWithJwtAsync(Jwt(roles: "operator"));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Jwt_WithTooSmallARole_Is403()
    {
        using var response = await SendWithJwtAsync(Jwt(roles: "reader"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Jwt_Expired_Is401()
    {
        using var response = await SendWithJwtAsync(Jwt(roles: "admin", expires: DateTime.UtcNow.AddMinutes(-10)));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("expired", await response.Content.ReadAsStringAsync(Ct), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Jwt_Tampered_Is401()
    {
        var token = Jwt(roles: "reader");
        var parts = token.Split('.');
        // the payload now says admin; the signature is still the reader token's
        var payload = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Base64UrlEncoder.Decode(parts[1]))!;
        payload["roles"] = JsonSerializer.SerializeToElement("admin");
        var forged = parts[0] + "." + Base64UrlEncoder.Encode(JsonSerializer.Serialize(payload)) + "." + parts[2];
        using var response = await SendWithJwtAsync(forged);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Jwt_SignedWithAnotherKey_Is401()
    {
        using var response = await SendWithJwtAsync(Jwt(roles: "admin", key: Convert.ToBase64String(Encoding.UTF8.GetBytes("another-key-of-thirty-two-bytes!!"))));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Jwt_ForAnotherAudience_Is401()
    {
        using var response = await SendWithJwtAsync(Jwt(roles: "admin", audience: "someone-else"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task ApiToken_Unknown_Is401()
    {
        using var http = Anonymous();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiTokenText.Create());
        using var response = await http.GetAsync(new Uri("/api/v1/mounts", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("not known", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MountSwap_WithoutCredentialOrAsReader_IsRefusedAndChangesNothing()
    {
        var swap = new { path = "/warehouse", destinations = new[] { "dcB:/warehouse", "dcA:/warehouse" } };
        using var http = Anonymous();
        using (var anonymous = await http.PutAsJsonAsync(new Uri("/api/v1/mounts", UriKind.Relative), swap, Ct))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestCredentials.ReaderToken);
        using (var reader = await http.PutAsJsonAsync(new Uri("/api/v1/mounts", UriKind.Relative), swap, Ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, reader.StatusCode);
        }

        var mounts = await http.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/mounts", UriKind.Relative), Ct);
        var warehouse = mounts.GetProperty("mounts").EnumerateArray().Single(m => m.GetProperty("path").GetString() == "/warehouse");
        Assert.Equal("dcA:/warehouse", warehouse.GetProperty("destinations")[0].GetString());
    }

    [Fact]
    public async Task ForgedTrafficRecord_WithoutCredentialOrAsReader_IsRefused()
    {
        var forged = $$"""[{"id":"forged-1","job":"finance.ledger_close","sourceDatacenter":"dcA","destinationDatacenter":"dcB","bytes":5000000000000,"operation":"read","component":"router","time":"{{DateTimeOffset.UtcNow:O}}"}]""";
        using var http = Anonymous();
        using (var anonymous = await http.PostAsync(new Uri("/api/v1/traffic/records", UriKind.Relative), new StringContent(forged, Encoding.UTF8, "application/json"), Ct))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestCredentials.ReaderToken);
        using var reader = await http.PostAsync(new Uri("/api/v1/traffic/records", UriKind.Relative), new StringContent(forged, Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, reader.StatusCode);
    }

    [Fact]
    public async Task WebHdfsRecursiveDelete_AsNobodyOrAsReader_IsRefusedAndDeletesNothing()
    {
        using var admin = new TestHttpClient { BaseAddress = host.BaseAddress };
        using (var made = await admin.PutAsync(new Uri("/webhdfs/v1/tmp/keep-me/inner?op=MKDIRS", UriKind.Relative), null, Ct))
        {
            Assert.True(made.IsSuccessStatusCode);
        }

        using var http = Anonymous();
        var delete = new Uri("/webhdfs/v1/tmp/keep-me?op=DELETE&recursive=true&user.name=nobody", UriKind.Relative);
        using (var anonymous = await http.DeleteAsync(delete, Ct))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestCredentials.ReaderToken);
        using (var reader = await http.DeleteAsync(delete, Ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, reader.StatusCode);
        }

        using var status = await admin.GetAsync(new Uri("/webhdfs/v1/tmp/keep-me/inner?op=GETFILESTATUS", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
    }

    [Fact]
    public async Task PlacementWait_AsReader_Is403AndAsScheduler_IsAnswered()
    {
        using var http = Anonymous();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestCredentials.ReaderToken);
        using (var noWait = await http.GetAsync(new Uri("/api/v1/placement/job?namespace=airflow&name=x", UriKind.Relative), Ct))
        {
            Assert.NotEqual(HttpStatusCode.Forbidden, noWait.StatusCode);
        }

        using (var wait = await http.GetAsync(new Uri("/api/v1/placement/job?namespace=airflow&name=x&waitSeconds=1", UriKind.Relative), Ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, wait.StatusCode);
        }

        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestCredentials.SchedulerToken);
        using var scheduler = await http.GetAsync(new Uri("/api/v1/placement/job?namespace=airflow&name=x&waitSeconds=0.01", UriKind.Relative), Ct);
        Assert.NotEqual(HttpStatusCode.Forbidden, scheduler.StatusCode);
        Assert.NotEqual(HttpStatusCode.Unauthorized, scheduler.StatusCode);
    }

    [Fact]
    public async Task Audit_RecordsMutatingAndDeniedCalls_AndOnlyAdminsReadIt()
    {
        var tenant = "audit-" + Guid.NewGuid().ToString("N")[..8];
        using var http = Anonymous();
        using (await http.PutAsync(new Uri($"/api/v1/throttle/caps/{tenant}", UriKind.Relative), new StringContent("""{"bytesPerSecond":1000000,"setBy":"x"}""", Encoding.UTF8, "application/json"), Ct))
        {
        }

        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestCredentials.OperatorToken);
        using (var allowed = await http.PutAsync(new Uri($"/api/v1/throttle/caps/{tenant}", UriKind.Relative), new StringContent("""{"bytesPerSecond":1000000,"setBy":"x"}""", Encoding.UTF8, "application/json"), Ct))
        {
            Assert.True(allowed.IsSuccessStatusCode);
        }

        using (var operatorRead = await http.GetAsync(new Uri("/api/v1/audit", UriKind.Relative), Ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, operatorRead.StatusCode);
        }

        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestCredentials.AdminToken);
        JsonElement[] records = [];
        Assert.True(
            await TestUtils.Servers.Eventually.TrueAsync(
                async () =>
                {
                    var page = await http.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/audit?limit=1000", UriKind.Relative), Ct);
                    records = page.GetProperty("records").EnumerateArray().Where(r => r.GetProperty("path").GetString()!.Contains(tenant, StringComparison.Ordinal)).ToArray();
                    return records.Length >= 2;
                },
                TimeSpan.FromSeconds(30),
                Ct),
            "the two calls did not reach the audit log");
        Assert.Contains(records, r => r.GetProperty("principal").GetString() == "anonymous" && r.GetProperty("status").GetInt32() == 401 && r.GetProperty("result").GetString() == "denied");
        Assert.Contains(records, r => r.GetProperty("principal").GetString() == "token:test-operator" && r.GetProperty("result").GetString() == "allowed" && r.GetProperty("method").GetString() == "PUT");

        var mine = await http.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/audit?principal=token:test-operator&limit=1", UriKind.Relative), Ct);
        Assert.Single(mine.GetProperty("records").EnumerateArray());
        Assert.All(mine.GetProperty("records").EnumerateArray(), r => Assert.Equal("token:test-operator", r.GetProperty("principal").GetString()));
        // paging: the next page starts below the last record of this one
        var first = await http.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/audit?limit=1", UriKind.Relative), Ct);
        var next = first.GetProperty("next").GetString();
        Assert.NotNull(next);
        var second = await http.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/audit?limit=1&before={Uri.EscapeDataString(next)}", UriKind.Relative), Ct);
        Assert.True(string.CompareOrdinal(second.GetProperty("records")[0].GetProperty("id").GetString(), first.GetProperty("records")[0].GetProperty("id").GetString()) < 0);
        using var bad = await http.GetAsync(new Uri("/api/v1/audit?from=yesterday", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    private HttpClient Anonymous() => new() { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

    private async Task<HttpResponseMessage> SendWithJwtAsync(string jwt)
    {
        using var http = Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/throttle/caps/jwt-tenant")
        {
            Content = new StringContent("""{"bytesPerSecond":1000000,"setBy":"jwt"}""", Encoding.UTF8, "application/json"),
        };
        request.Method = HttpMethod.Put;
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", jwt);
        return await http.SendAsync(request, Ct);
    }

    private static string Jwt(string roles, DateTime? expires = null, string? key = null, string audience = TestCredentials.JwtAudience)
    {
        var expiry = expires ?? DateTime.UtcNow.AddMinutes(10);
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = TestCredentials.JwtIssuer,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", "alice@example.test"), new Claim("roles", roles)]),
            NotBefore = expiry.AddMinutes(-20),
            IssuedAt = expiry.AddMinutes(-20),
            Expires = expiry,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Convert.FromBase64String(key ?? TestCredentials.JwtKey)), SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }
}
