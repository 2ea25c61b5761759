using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Unitization.DataManager.Hosting;
using Unitization.DataManager.Readiness;
using Unitization.DataManager.Rules;
using Unitization.StateStore;
using Unitization.TestUtils;
using Unitization.TestUtils.Servers;

namespace Unitization.IntegrationTests.DataManager;

/// <summary>The datamanager role in-process over real HTTP on 127.0.0.1 (port 0), with a fresh SQLite state store.</summary>
public sealed class DataManagerApiTests : IAsyncLifetime
{
    private const string Orders = """{"eventType":"COMPLETE","eventTime":"2026-11-20T10:00:00Z","job":{"namespace":"airflow","name":"sales.daily"},"inputs":[{"namespace":"hive://metastore","name":"sales.orders","inputFacets":{"inputStatistics":{"size":7000}}}],"outputs":[{"namespace":"hive://metastore","name":"sales.revenue","outputFacets":{"outputStatistics":{"size":70}}}]}""";
    private const string Clicks = """{"eventType":"COMPLETE","eventTime":"2026-11-20T11:00:00Z","job":{"namespace":"airflow","name":"web.sessionize"},"inputs":[{"namespace":"hive://metastore","name":"web.clicks","inputFacets":{"inputStatistics":{"size":9000}}}],"outputs":[{"namespace":"hive://metastore","name":"web.sessions","outputFacets":{"outputStatistics":{"size":900}}}]}""";

    private readonly ControlledFreshness _freshness = new();
    private DataManagerHost _host = null!;
    private HttpClient _http = null!;

    public async ValueTask InitializeAsync()
    {
        _host = new DataManagerHost(services => services.AddSingleton<IDatasetFreshness>(_freshness));
        await _host.StartAsync(TestContext.Current.CancellationToken);
        _http = _host.Http;
    }

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task GetPlacement_NoPlanYet_Is404WithWhatToDo()
    {
        var response = await _http.GetAsync(new Uri("/api/v1/placement", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("/api/v1/placement/refresh", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{not json", "Body is not JSON")]
    [InlineData("[]", "No events")]
    [InlineData("""{"eventTime":"2026-11-20T10:00:00Z","job":{"namespace":"a"}}""", "field 'job.name': missing")]
    public async Task PostLineage_BadBody_Is400NamingTheProblem(string body, string expected)
    {
        var response = await PostJsonAsync("/api/v1/lineage", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("999999")]
    public async Task GetJob_BadWaitSeconds_Is400(string wait)
    {
        var response = await _http.GetAsync(new Uri($"/api/v1/placement/jobs/airflow/sales.daily?waitSeconds={wait}", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("waitSeconds", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetPlacement_UnknownVersion_Is404AndBadVersionIs400()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync(new Uri("/api/v1/placement?version=7", UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.GetAsync(new Uri("/api/v1/placement?version=x", UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"datasets":[{"namespace":"","name":"x"}]}""")]
    [InlineData("[1,2]")]
    public async Task PostAdhoc_BadBody_Is400(string body)
    {
        var response = await PostJsonAsync("/api/v1/placement/adhoc", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("{}", HttpStatusCode.BadRequest)]
    [InlineData("""{"jobs":[]}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"jobs":[" "]}""", HttpStatusCode.BadRequest)]
    [InlineData("{not json", HttpStatusCode.BadRequest)]
    [InlineData("""{"jobs":["airflow/sales.daily"]}""", HttpStatusCode.NotFound)]
    public async Task PostMoves_BadBodyOrNoPlan_IsAProblem(string body, HttpStatusCode expected)
    {
        var response = await PostJsonAsync("/api/v1/placement/moves", body);
        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task PostMoves_AfterRefresh_PricesMovingEachJobByTheCostModel()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(HttpStatusCode.Created, (await PostJsonAsync("/api/v1/lineage", $"[{Orders},{Clicks}]")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _http.PostAsync(new Uri("/api/v1/placement/refresh?wait=true", UriKind.Relative), null, ct)).StatusCode);
        var plan = await _http.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/placement", UriKind.Relative), ct);
        var placed = plan.GetProperty("jobs").EnumerateArray().First(j => j.GetProperty("name").GetString() == "sales.daily").GetProperty("datacenter").GetString();

        var response = await PostJsonAsync("/api/v1/placement/moves", """{"jobs":["airflow/sales.daily","web.sessionize","no.such.job"]}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal(1, answer.GetProperty("planVersion").GetInt64());
        Assert.Contains("cost model", answer.GetProperty("model").GetString(), StringComparison.Ordinal);
        Assert.Equal(["no.such.job"], answer.GetProperty("unknown").EnumerateArray().Select(u => u.GetString()));
        var jobs = answer.GetProperty("jobs").EnumerateArray().ToList();
        Assert.Equal(["airflow/sales.daily", "web.sessionize"], jobs.Select(j => j.GetProperty("job").GetString()));
        var sales = jobs[0];
        Assert.Equal(placed, sales.GetProperty("datacenter").GetString());
        Assert.Equal(0, sales.GetProperty("crossBytesPerDay").GetDouble()); // placed with its data
        var move = Assert.Single(sales.GetProperty("moves").EnumerateArray());
        Assert.NotEqual(placed, move.GetProperty("datacenter").GetString());
        Assert.True(move.GetProperty("deltaBytesPerDay").GetDouble() > 0, "moving a job away from its data must cost bytes");
        Assert.Equal("airflow", jobs[1].GetProperty("namespace").GetString());

        // seen running away from its data: moving it back to the plan's datacenter saves bytes
        var other = move.GetProperty("datacenter").GetString();
        var away = await PostJsonAsync("/api/v1/placement/moves", $$$"""{"jobs":["airflow/sales.daily"],"runsIn":{"airflow/sales.daily":"{{{other}}}"}}""");
        var priced = Assert.Single((await away.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("jobs").EnumerateArray());
        Assert.Equal(other, priced.GetProperty("datacenter").GetString());
        Assert.Equal(placed, priced.GetProperty("plannedDatacenter").GetString());
        Assert.True(priced.GetProperty("crossBytesPerDay").GetDouble() > 0);
        var back = Assert.Single(priced.GetProperty("moves").EnumerateArray());
        Assert.Equal(placed, back.GetProperty("datacenter").GetString());
        Assert.Equal(-move.GetProperty("deltaBytesPerDay").GetDouble(), back.GetProperty("deltaBytesPerDay").GetDouble());
        Assert.True(back.GetProperty("fits").GetBoolean());
    }

    [Fact]
    public async Task Refresh_ThenSchedulerApi_AnswersForJobsRulesAndAdhoc()
    {
        var ct = TestContext.Current.CancellationToken;
        var posted = await PostJsonAsync("/api/v1/lineage", $"[{Orders},{Clicks},{{\"eventTime\":\"bad\",\"job\":{{\"namespace\":\"a\",\"name\":\"b\"}}}}]");
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        var ingest = await posted.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal(2, ingest.GetProperty("accepted").GetInt32());
        Assert.Equal(1, ingest.GetProperty("skipped").GetInt32());
        Assert.Contains("event 2: field 'eventTime'", ingest.GetProperty("errors")[0].GetString(), StringComparison.Ordinal);

        var refresh = await _http.PostAsync(new Uri("/api/v1/placement/refresh?wait=true", UriKind.Relative), null, ct);
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        var status = await refresh.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal(1, status.GetProperty("version").GetInt64());

        var plan = await _http.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/placement", UriKind.Relative), ct);
        Assert.Equal(2, plan.GetProperty("jobs").GetArrayLength());
        Assert.Equal(4, plan.GetProperty("datasets").GetArrayLength());

        _freshness.Fresh = true;
        var job = await _http.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/placement/jobs/airflow/sales.daily", UriKind.Relative), ct);
        Assert.True(job.GetProperty("known").GetBoolean());
        Assert.Equal(1, job.GetProperty("planVersion").GetInt64());
        Assert.True(job.GetProperty("ready").GetBoolean());
        var dc = job.GetProperty("datacenter").GetString();
        Assert.Equal($"root.{dc}", job.GetProperty("queue").GetString());

        var unknown = await _http.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/placement/jobs/airflow/no.such.job", UriKind.Relative), ct);
        Assert.False(unknown.GetProperty("known").GetBoolean());
        Assert.Equal("default", unknown.GetProperty("policy").GetString());
        Assert.Equal("dcB", unknown.GetProperty("datacenter").GetString());
        Assert.Equal("unknown", unknown.GetProperty("readiness").GetString());

        var rules = await _http.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/replication/rules", UriKind.Relative), ct);
        Assert.Equal(JsonValueKind.Array, rules.ValueKind);

        var adhoc = await PostJsonAsync("/api/v1/placement/adhoc", """{"paths":["/warehouse/web.db/clicks/dt=2026-11-20"]}""");
        var answer = await adhoc.Content.ReadFromJsonAsync<JsonElement>(ct);
        var clicksPrimary = plan.GetProperty("datasets").EnumerateArray().First(d => d.GetProperty("name").GetString() == "web.clicks").GetProperty("primary").GetString();
        Assert.Equal(clicksPrimary, answer.GetProperty("datacenter").GetString());
    }

    [Fact]
    public async Task GetJob_WaitSeconds_HoldsUntilInputsAreFreshThenAnswersReady()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(HttpStatusCode.Created, (await PostJsonAsync("/api/v1/lineage", Orders)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _http.PostAsync(new Uri("/api/v1/placement/refresh?wait=true", UriKind.Relative), null, ct)).StatusCode);

        _freshness.Fresh = false;
        var now = await _http.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/placement/jobs/airflow/sales.daily", UriKind.Relative), ct);
        Assert.False(now.GetProperty("ready").GetBoolean());
        Assert.Equal("sales.orders", now.GetProperty("notFresh")[0].GetProperty("name").GetString());

        // held: the recheck interval (9 min) and the wait (1 h) outlast the test, so only the signal can release it.
        // The notification may land at any point of the waiter's loop (even between its check and its wait): it must
        // never be lost, or the request would hang past the deadline below.
        var calls = _freshness.Calls;
        var waiting = _http.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/placement/jobs/airflow/sales.daily?waitSeconds=3600", UriKind.Relative), ct);
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(_freshness.Calls > calls), TimeSpan.FromSeconds(60), ct));
        Assert.False(waiting.IsCompleted);
        _freshness.Fresh = true;
        _host.Services.GetRequiredService<FreshnessSignal>().Notify();
        var released = await Task.WhenAny(waiting, Task.Delay(TimeSpan.FromMinutes(2), ct));
        Assert.True(released == waiting, "the held request was not released by the freshness signal (a lost wake-up)");
        var answer = await waiting;
        Assert.True(answer.GetProperty("ready").GetBoolean());
    }

    [Fact]
    public async Task Adhoc_InputNotFreshWhereThePlanKeepsIt_AgreesWithTheJobEndpoint()
    {
        // issue 20: ad-hoc said sales.customers was fresh in the plan's primary datacenter (it asked no one) while the
        // job endpoint, which asks, said it was not
        var ct = TestContext.Current.CancellationToken;
        const string Customers = """{"eventType":"COMPLETE","eventTime":"2026-11-20T10:00:00Z","job":{"namespace":"airflow","name":"dag_00002.task_000020"},"inputs":[{"namespace":"hive://metastore","name":"sales.customers","inputFacets":{"inputStatistics":{"size":9000}}}],"outputs":[{"namespace":"hive://metastore","name":"d0000.t000020","outputFacets":{"outputStatistics":{"size":50}}}]}""";
        Assert.Equal(HttpStatusCode.Created, (await PostJsonAsync("/api/v1/lineage", Customers)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _http.PostAsync(new Uri("/api/v1/placement/refresh?wait=true", UriKind.Relative), null, ct)).StatusCode);
        _freshness.Fresh = false;

        var job = await _http.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/placement/jobs/airflow/dag_00002.task_000020", UriKind.Relative), ct);
        var adhoc = await (await PostJsonAsync("/api/v1/placement/adhoc", """{"datasets":[{"namespace":"hive://metastore","name":"sales.customers"}]}""")).Content.ReadFromJsonAsync<JsonElement>(ct);

        Assert.False(job.GetProperty("ready").GetBoolean());
        Assert.Equal("sales.customers", job.GetProperty("notFresh")[0].GetProperty("name").GetString());
        var freshIn = adhoc.GetProperty("datasets")[0].GetProperty("freshIn").EnumerateArray().Select(d => d.GetString()).ToList();
        Assert.DoesNotContain(job.GetProperty("datacenter").GetString(), freshIn);
        Assert.Empty(freshIn);
    }

    [Fact]
    public async Task GetJob_Partitions_ReadyWhenThosePartitionsAreWhateverTheWholeTable()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(HttpStatusCode.Created, (await PostJsonAsync("/api/v1/lineage", Orders)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _http.PostAsync(new Uri("/api/v1/placement/refresh?wait=true", UriKind.Relative), null, ct)).StatusCode);
        _freshness.Fresh = false; // the table as a whole: a partition being written elsewhere keeps it stale
        _freshness.FreshPartition = "dt=2026-12-05";

        var ready = await _http.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/placement/job?namespace=airflow&name=sales.daily&partition=dt=2026-12-05", UriKind.Relative), ct);
        var waiting = await _http.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/placement/jobs/airflow/sales.daily?partition=dt=2026-12-05&partition=dt=2026-12-06", UriKind.Relative), ct);
        var whole = await _http.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/placement/jobs/airflow/sales.daily", UriKind.Relative), ct);
        using var bad = await _http.GetAsync(new Uri("/api/v1/placement/jobs/airflow/sales.daily?partition=dt", UriKind.Relative), ct);

        Assert.True(ready.GetProperty("ready").GetBoolean());
        Assert.Equal(["dt=2026-12-05"], ready.GetProperty("partitions").EnumerateArray().Select(p => p.GetString()));
        Assert.False(waiting.GetProperty("ready").GetBoolean());
        var notFresh = Assert.Single(waiting.GetProperty("notFresh").EnumerateArray());
        Assert.Equal(("sales.orders", "dt=2026-12-06"), (notFresh.GetProperty("name").GetString(), notFresh.GetProperty("partition").GetString()));
        Assert.False(whole.GetProperty("ready").GetBoolean());
        Assert.Equal(JsonValueKind.Null, whole.GetProperty("partitions").ValueKind);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("partition[0] 'dt'", await bad.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplicationRules_Priority_FromTheNamespacesOfTheReplicasReaders()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = new DataManagerHost(services => services.PostConfigure<DataManagerOptions>(o =>
        {
            o.ReaderPriorities = [new ReaderPriority { JobNamespace = "prod-*", Priority = "High" }];
            o.DefaultReaderPriority = "Low";
        }));
        await host.StartAsync(ct);

        // a production DAG and a batch DAG, each with a big table of its own (one DAG per datacenter), both reading a
        // shared dimension: its replica is read only by the DAG in the replica's datacenter
        const string Template = """{"eventType":"COMPLETE","eventTime":"2026-11-20T10:00:00Z","job":{"namespace":"NS","name":"dag.tT"},"inputs":[{"namespace":"hive://metastore","name":"OWN","inputFacets":{"inputStatistics":{"size":5000000000}}},{"namespace":"hive://metastore","name":"shared.dim","inputFacets":{"inputStatistics":{"size":1000000000}}}],"outputs":[]}""";
        var events = new List<string>();
        foreach (var (ns, own) in new[] { ("prod-airflow", "sales.orders"), ("batch", "web.clicks") })
        {
            for (var t = 1; t <= 2; t++)
            {
                events.Add(Template.Replace("NS", ns, StringComparison.Ordinal).Replace("dag.tT", $"dag.t{t}", StringComparison.Ordinal).Replace("OWN", own, StringComparison.Ordinal));
            }
        }

        Assert.Equal(HttpStatusCode.Created, (await host.Http.PostAsync(new Uri("/api/v1/lineage", UriKind.Relative), new StringContent("[" + string.Join(",", events) + "]", Encoding.UTF8, "application/json"), ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Http.PostAsync(new Uri("/api/v1/placement/refresh?wait=true", UriKind.Relative), null, ct)).StatusCode);
        var plan = await host.Http.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/placement", UriKind.Relative), ct);
        var rules = await host.Http.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/replication/rules", UriKind.Relative), ct);

        var rule = rules.EnumerateArray().Single(r => r.GetProperty("datasetName").GetString() == "shared.dim");
        var replicaDc = Assert.Single(rule.GetProperty("targets").EnumerateArray()).GetString();
        var readersThere = plan.GetProperty("jobs").EnumerateArray().Where(j => j.GetProperty("datacenter").GetString() == replicaDc).Select(j => j.GetProperty("namespace").GetString()).Distinct().ToList();
        Assert.Single(readersThere); // one DAG per datacenter
        Assert.Equal(readersThere[0] == "prod-airflow" ? 2 : 0, rule.GetProperty("priority").GetInt32());
    }

    private Task<HttpResponseMessage> PostJsonAsync(string path, string body) =>
        _http.PostAsync(new Uri(path, UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

    private sealed class ControlledFreshness : IDatasetFreshness
    {
        private int _calls;

        public volatile bool Fresh;

        /// <summary>The one partition (of datasets partitioned by dt) that is fresh.</summary>
        public volatile string? FreshPartition;

        public int Calls => Volatile.Read(ref _calls);

        public Task<bool> IsFreshAsync(string datasetNamespace, string datasetName, string datacenter, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return Task.FromResult(Fresh);
        }

        public Task<bool?> IsPartitionFreshAsync(string datasetNamespace, string datasetName, string partition, string datacenter, CancellationToken cancellationToken) =>
            Task.FromResult<bool?>(partition.StartsWith("dt=", StringComparison.Ordinal) ? partition == FreshPartition : null);
    }
}
