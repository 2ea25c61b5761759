using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Unitization.StateStore;
using Unitization.TestUtils.Servers;
using Unitization.TestUtils.StateStore;

namespace Unitization.IntegrationTests.DataManager;

/// <summary>Two DataManager processes over one real PostgreSQL state store (Quartz clustered on it, plans announced on its feed).</summary>
public sealed class DataManagerFleetTests
{
    private const string Orders = """{"eventType":"COMPLETE","eventTime":"2026-11-20T10:00:00Z","job":{"namespace":"airflow","name":"sales.daily"},"inputs":[{"namespace":"hive://metastore","name":"sales.orders","inputFacets":{"inputStatistics":{"size":7000}}}],"outputs":[{"namespace":"hive://metastore","name":"sales.revenue","outputFacets":{"outputStatistics":{"size":70}}}]}""";
    private const string Clicks = """{"eventType":"COMPLETE","eventTime":"2026-11-20T11:00:00Z","job":{"namespace":"airflow","name":"web.sessionize"},"inputs":[{"namespace":"hive://metastore","name":"web.clicks","inputFacets":{"inputStatistics":{"size":9000}}}],"outputs":[{"namespace":"hive://metastore","name":"web.sessions","outputFacets":{"outputStatistics":{"size":900}}}]}""";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Refresh_OnOneInstance_IsThePlanInForceOnTheOther()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await TestStateStore.CreateAsync(StateProviders.PostgreSql, ct);
        var settings = new Dictionary<string, string?>
        {
            ["StateStore:Provider"] = StateProviders.PostgreSql,
            ["StateStore:ConnectionString"] = store.ConnectionString,
        };
        await using var first = new DataManagerHost(settings: settings);
        await using var second = new DataManagerHost(settings: settings);
        await first.StartAsync(ct);
        await second.StartAsync(ct);

        Assert.Equal(HttpStatusCode.Created, (await PostAsync(first, "/api/v1/lineage", Orders, ct)).StatusCode);
        Assert.Equal(1, await RefreshAsync(first, ct));
        Assert.Equal(1, await VersionInForceAsync(second, ct)); // read from the store, then cached

        Assert.Equal(HttpStatusCode.Created, (await PostAsync(second, "/api/v1/lineage", Clicks, ct)).StatusCode);
        Assert.Equal(2, await RefreshAsync(second, ct));

        // the first instance cached version 1: only the change feed can tell it about version 2
        Assert.True(
            await Eventually.TrueAsync(async () => await VersionInForceAsync(first, ct) == 2, Deadline, ct),
            "the other instance kept the old plan in force");
    }

    private static async Task<long> RefreshAsync(DataManagerHost host, CancellationToken ct)
    {
        using var response = await host.Http.PostAsync(new Uri("/api/v1/placement/refresh?wait=true", UriKind.Relative), null, ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return status.RootElement.GetProperty("version").GetInt64();
    }

    private static async Task<long> VersionInForceAsync(DataManagerHost host, CancellationToken ct)
    {
        using var plan = await host.Http.GetFromJsonAsync<JsonDocument>(new Uri("/api/v1/placement", UriKind.Relative), ct);
        return plan!.RootElement.GetProperty("version").GetInt64();
    }

    private static Task<HttpResponseMessage> PostAsync(DataManagerHost host, string path, string body, CancellationToken ct) =>
        host.Http.PostAsync(new Uri(path, UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"), ct);
}
