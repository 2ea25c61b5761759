using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Unitization.Host.Security;
using Unitization.IntegrationTests.Http;
using Unitization.TestUtils.Security;

namespace Unitization.IntegrationTests.Security;

/// <summary>
/// Every mutating endpoint of every role, through the whole host (all roles, real Kestrel): no credential → 401,
/// a valid credential of the role just below → 403, the role it needs → 2xx. <see cref="Calls"/> must cover every
/// mutating endpoint the app maps (<see cref="Calls_CoverEveryMutatingEndpoint"/>).
/// </summary>
public sealed class MutatingEndpointSecurityTests(AllRolesHost host) : IClassFixture<AllRolesHost>
{
    private const string Lineage = """
        {"eventType":"COMPLETE","eventTime":"2026-11-20T10:00:00Z","schemaURL":"https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
         "run":{"runId":"0192f1a0-0000-7000-8000-0000000000a1"},"job":{"namespace":"airflow","name":"sec.daily"},
         "inputs":[{"namespace":"hive://metastore","name":"sec.input","inputFacets":{"inputStatistics":{"size":5000}}}],
         "outputs":[{"namespace":"hive://metastore","name":"sec.output","outputFacets":{"outputStatistics":{"size":300}}}]}
        """;

    private static readonly SecuredCall CapSet = new("PUT", "/api/v1/throttle/caps/sec-tenant", """{"bytesPerSecond":1000000,"setBy":"sre"}""", "operator", "scheduler");
    private static readonly SecuredCall JobCapSet = new("PUT", "/api/v1/traffic/caps/sec-job", """{"bytesPerSecond":1000000,"setBy":"sre"}""", "operator", "scheduler");
    private static readonly SecuredCall MountSet = new("PUT", "/api/v1/mounts", """{"path":"/sec-deleted","destinations":["dcA:/sec-deleted","dcB:/sec-deleted"]}""", "admin", "operator");

    // a plan to ask about: the lineage above, then a refresh that waits for it
    private static readonly SecuredCall PlanReady = new("POST", "/api/v1/placement/refresh?wait=true", null, "operator", null, new("POST", "/api/v1/lineage", Lineage, "scheduler", null));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<SecuredCall> Calls() =>
    [
        new SecuredCall("POST", "/api/v1/throttle/leases", """{"link":"dcA->dcB","tenant":"sec","bytes":1024,"priority":"Normal"}""", "operator", "scheduler"),
        CapSet,
        new SecuredCall("DELETE", "/api/v1/throttle/caps/sec-tenant?by=sre", null, "operator", "scheduler", CapSet),
        new SecuredCall("PUT", "/api/v1/throttle/links/dcA/dcB/rate", """{"bytesPerSecond":100000000,"setBy":"sre"}""", "admin", "operator"),
        new SecuredCall("POST", "/api/v1/lineage", Lineage, "scheduler", "reader"),
        new SecuredCall("POST", "/api/v1/placement/refresh?wait=true", null, "operator", "scheduler"),
        new SecuredCall("POST", "/api/v1/placement/adhoc", """{"paths":["/warehouse/sec/input"]}""", "scheduler", "reader", PlanReady),
        new SecuredCall("POST", "/api/v1/placement/moves", """{"jobs":["airflow/sec.daily"]}""", "reader", null, PlanReady),
        new SecuredCall("POST", "/api/v1/placement/apply", """{"dryRun":true}""", "operator", "scheduler", PlanReady),
        new SecuredCall("POST", "/api/v1/replication/dead-letters/replay", """{"all":true}""", "operator", "scheduler"),
        new SecuredCall("POST", "/api/v1/migrations", """{"source":"dcA:/warehouse/sec-migration","target":"dcB"}""", "operator", "scheduler",
            new("PUT", "/webhdfs/v1/warehouse/sec-migration?op=MKDIRS", null, "operator", null)),
        new SecuredCall("POST", "/api/v1/resolve", """{"requests":[{"path":"/warehouse/sec","clientIp":"10.2.0.1"}]}""", "reader", null),
        new SecuredCall("PUT", "/api/v1/mounts", """{"path":"/sec","destinations":["dcA:/sec","dcB:/sec"]}""", "admin", "operator"),
        new SecuredCall("DELETE", "/api/v1/mounts?path=/sec-deleted", null, "admin", "operator", MountSet),
        new SecuredCall("PUT", "/webhdfs/v1/tmp/sec-dir?op=MKDIRS", null, "operator", "scheduler"),
        new SecuredCall("DELETE", "/webhdfs/v1/tmp/sec-deleted?op=DELETE", null, "operator", "scheduler", new("PUT", "/webhdfs/v1/tmp/sec-deleted?op=MKDIRS", null, "operator", null)),
        JobCapSet,
        new SecuredCall("DELETE", "/api/v1/traffic/caps/sec-job?setBy=sre", null, "operator", "scheduler", JobCapSet),
        new SecuredCall("POST", "/api/v1/traffic/records", Records(), "admin", "operator"),
    ];

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task Call_WithoutCredential_Is401(SecuredCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        using var response = await SendAsync(call, token: null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        Assert.Contains("Authorization", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task Call_WithTooSmallARole_Is403(SecuredCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (call.Smaller is null)
        {
            return; // reader is the least role: every credential may make this call
        }

        using var response = await SendAsync(call, TestCredentials.ByRole[call.Smaller]);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{call} as {call.Smaller}: {(int)response.StatusCode} {body}");
        Assert.Contains("needs " + call.Role, body, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task Call_WithTheRoleItNeeds_Succeeds(SecuredCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        await PrepareAsync(call.Setup);
        using var response = await SendAsync(call, TestCredentials.ByRole[call.Role]);
        Assert.True(response.IsSuccessStatusCode, $"{call} as {call.Role}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
    }

    [Fact]
    public void Calls_CoverEveryMutatingEndpoint()
    {
        var covered = Calls().Select(c => c.Data).Select(c => (c.Method, Route(c.Path))).ToHashSet();
        var missing = new List<string>();
        foreach (var endpoint in host.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = "/" + (endpoint.RoutePattern.RawText ?? string.Empty).TrimStart('/');
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["PUT", "POST", "DELETE"])
            {
                // /healthz and /metrics answer every method the same (a read); the gateway serves no POST operation
                if (method is "GET" or "HEAD" || pattern is "/healthz" or "/metrics" || (method == "POST" && pattern.StartsWith("/webhdfs/", StringComparison.Ordinal)) || covered.Any(c => c.Method == method && Matches(pattern, c.Item2)))
                {
                    continue;
                }

                missing.Add($"{method} {pattern}");
            }
        }

        Assert.True(missing.Count == 0, "mutating endpoints with no 401/403/2xx case here: " + string.Join(", ", missing));
    }

    [Fact]
    public async Task ServicePrincipal_LeasesButMayNotSwapMounts()
    {
        using var lease = await SendAsync(Calls().Select(c => c.Data).First(), TestCredentials.ServiceToken);
        Assert.True(lease.IsSuccessStatusCode, await lease.Content.ReadAsStringAsync(Ct));
        using var mounts = await SendAsync(new SecuredCall("PUT", "/api/v1/mounts", """{"path":"/warehouse","destinations":["dcB:/warehouse","dcA:/warehouse"]}""", "admin", null), TestCredentials.ServiceToken);
        Assert.Equal(HttpStatusCode.Forbidden, mounts.StatusCode);
    }

    [Fact]
    public async Task RolesOwnClients_SendTheServiceCredential_OthersDoNot()
    {
        var factory = host.App.Services.GetRequiredService<IHttpClientFactory>();
        var lease = Calls().Select(c => c.Data).First();
        foreach (var name in ServiceCredentials.ClientNames)
        {
            using var client = factory.CreateClient(name);
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(host.BaseAddress, lease.Path)) { Content = new StringContent(lease.Body!, Encoding.UTF8, "application/json") };
            using var granted = await client.SendAsync(request, Ct);
            Assert.True(granted.IsSuccessStatusCode, $"{name}: {(int)granted.StatusCode}");
        }

        // any other client of the process (HDFS, ClickHouse) never carries it
        using var other = factory.CreateClient("not-a-role-client");
        using var refused = await other.PostAsync(new Uri(host.BaseAddress, lease.Path), new StringContent(lease.Body!, Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    private async Task PrepareAsync(SecuredCall? setup)
    {
        if (setup is null)
        {
            return;
        }

        await PrepareAsync(setup.Setup);
        using var prepared = await SendAsync(setup, TestCredentials.AdminToken);
        Assert.True(prepared.IsSuccessStatusCode, $"setup {setup}: {(int)prepared.StatusCode} {await prepared.Content.ReadAsStringAsync(Ct)}");
    }

    private async Task<HttpResponseMessage> SendAsync(SecuredCall call, string? token)
    {
        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        using var request = new HttpRequestMessage(new HttpMethod(call.Method), call.Path);
        if (call.Body is not null)
        {
            request.Content = new StringContent(call.Body, Encoding.UTF8, "application/json");
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await http.SendAsync(request, Ct);
    }

    private static string Route(string path) => path.Split('?')[0];

    // a concrete path matches a route pattern when the literal segments agree ({x} one segment, {**x} the rest)
    private static bool Matches(string pattern, string path)
    {
        var p = pattern.Trim('/').Split('/');
        var s = path.Trim('/').Split('/');
        for (var i = 0; i < p.Length; i++)
        {
            if (p[i].StartsWith("{**", StringComparison.Ordinal))
            {
                return true;
            }

            if (i >= s.Length || (!p[i].StartsWith('{') && p[i] != s[i]))
            {
                return false;
            }
        }

        return p.Length == s.Length;
    }

    private static string Records() =>
        $$"""[{"id":"sec-{{Guid.NewGuid():N}}","job":"sec.job","sourceDatacenter":"dcA","destinationDatacenter":"dcB","bytes":10,"operation":"read","component":"test","time":"{{DateTimeOffset.UtcNow:O}}"}]""";
}
