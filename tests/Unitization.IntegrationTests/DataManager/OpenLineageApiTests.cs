using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Unitization.DataManager.Store;

namespace Unitization.IntegrationTests.DataManager;

/// <summary>OpenLineage as producers send it (gzip bodies, JobEvents, DatasetEvents, re-sends, names with '/' and ':'), and the Marquez read API.</summary>
public sealed class OpenLineageApiTests : IAsyncLifetime
{
    private const string SparkJob = """
        {"eventType":"COMPLETE","eventTime":"2026-11-20T10:00:00Z","schemaURL":"https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
         "run":{"runId":"0192f1a0-0000-7000-8000-000000000001"},"job":{"namespace":"spark://cluster-1:7077","name":"etl.daily"},
         "inputs":[{"namespace":"hive://metastore","name":"export./tmp/export_test","inputFacets":{"inputStatistics":{"size":5000}}}],
         "outputs":[{"namespace":"hive://metastore","name":"sales.daily","outputFacets":{"outputStatistics":{"size":300}}}]}
        """;

    private const string StaticJob = """
        {"eventTime":"2026-11-20T09:00:00Z","schemaURL":"https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/JobEvent",
         "job":{"namespace":"airflow","name":"report.weekly"},"inputs":[{"namespace":"hive://metastore","name":"sales.daily"}],"outputs":[]}
        """;

    private const string DatasetEvent = """
        {"eventTime":"2026-11-20T08:00:00Z","schemaURL":"https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/DatasetEvent",
         "dataset":{"namespace":"hive://metastore","name":"sales.unread","facets":{}}}
        """;

    private readonly DataManagerHost _host = new();

    public async ValueTask InitializeAsync() => await _host.StartAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task PostLineage_GzipBody_AcceptedAndJobWithSlashesAndColonsKnown()
    {
        var ct = TestContext.Current.CancellationToken;
        var posted = await PostAsync($"[{SparkJob},{StaticJob},{DatasetEvent}]", gzip: true);
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        Assert.Equal(3, (await posted.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("accepted").GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await _host.Http.PostAsync(new Uri("/api/v1/placement/refresh?wait=true", UriKind.Relative), null, ct)).StatusCode);

        var byPath = await _host.Http.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/placement/jobs/spark%3A%2F%2Fcluster-1%3A7077/etl.daily", UriKind.Relative), ct);
        Assert.True(byPath.GetProperty("known").GetBoolean(), byPath.ToString());
        Assert.Equal("spark://cluster-1:7077", byPath.GetProperty("namespace").GetString());
        var byQuery = await _host.Http.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/placement/job?namespace=spark%3A%2F%2Fcluster-1%3A7077&name=etl.daily", UriKind.Relative), ct);
        Assert.True(byQuery.GetProperty("known").GetBoolean());
        var moves = await _host.Http.PostAsync(new Uri("/api/v1/placement/moves", UriKind.Relative),
            new StringContent("""{"jobs":["spark://cluster-1:7077/etl.daily"]}""", Encoding.UTF8, "application/json"), ct);
        Assert.Empty((await moves.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("unknown").EnumerateArray());
    }

    [Fact]
    public async Task PostLineage_BadBodies_ClearProblems()
    {
        var ct = TestContext.Current.CancellationToken;
        var bomb = new byte[2 * 1024 * 1024];
        bomb[0] = (byte)'[';
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await PostAsync(Encoding.UTF8.GetString(bomb).Replace('\0', ' '), gzip: true)).StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await PostAsync("[" + new string(' ', 1_100_000) + "]", gzip: false)).StatusCode);

        using var notGzip = new ByteArrayContent(Encoding.UTF8.GetBytes(SparkJob));
        notGzip.Headers.ContentEncoding.Add("gzip");
        var bad = await _host.Http.PostAsync(new Uri("/api/v1/lineage", UriKind.Relative), notGzip, ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("not gzip", await bad.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);

        using var brotli = new ByteArrayContent(Encoding.UTF8.GetBytes(SparkJob));
        brotli.Headers.ContentEncoding.Add("br");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await _host.Http.PostAsync(new Uri("/api/v1/lineage", UriKind.Relative), brotli, ct)).StatusCode);

        var noName = await PostAsync("""{"eventTime":"2026-11-20T08:00:00Z","dataset":{"namespace":"hive://metastore"}}""", gzip: false);
        Assert.Equal(HttpStatusCode.BadRequest, noName.StatusCode);
        Assert.Contains("dataset.name", await noName.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostLineage_SameRunResent_BytesCountedOnceAlsoAfterRestart()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(SparkJob, gzip: false)).StatusCode);
        var again = await PostAsync($"[{SparkJob},{SparkJob}]", gzip: true);
        Assert.Equal(2, (await again.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("duplicates").GetInt32());

        await _host.StopAsync();
        await _host.StartAsync(ct);
        var afterRestart = await PostAsync(SparkJob, gzip: false);
        Assert.Equal(1, (await afterRestart.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("duplicates").GetInt32());

        var lineage = await _host.Services.GetRequiredService<ILineageStore>().LoadAsync(7, ct);
        Assert.Equal(5000, lineage.ReadBytesPerDay.Sum());
        Assert.Equal(300, lineage.WriteBytesPerDay.Sum());
        Assert.Equal(1, lineage.Runs.Sum());
    }

    [Fact]
    public async Task MarquezApi_NamespacesJobsDatasetsAndLineageGraph()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(HttpStatusCode.Created, (await PostAsync($"[{SparkJob},{StaticJob},{DatasetEvent}]", gzip: false)).StatusCode);

        var namespaces = await _host.Http.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/namespaces", UriKind.Relative), ct);
        Assert.Equal(["airflow", "hive://metastore", "spark://cluster-1:7077"], namespaces.GetProperty("namespaces").EnumerateArray().Select(n => n.GetProperty("name").GetString()));

        var jobs = await _host.Http.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/namespaces/spark%3A%2F%2Fcluster-1%3A7077/jobs", UriKind.Relative), ct);
        var job = Assert.Single(jobs.GetProperty("jobs").EnumerateArray());
        Assert.Equal("etl.daily", job.GetProperty("id").GetProperty("name").GetString());
        Assert.Equal("export./tmp/export_test", Assert.Single(job.GetProperty("inputs").EnumerateArray()).GetProperty("name").GetString());

        var datasets = await _host.Http.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/namespaces/hive%3A%2F%2Fmetastore/datasets?limit=2&offset=1", UriKind.Relative), ct);
        Assert.Equal(3, datasets.GetProperty("totalCount").GetInt32());
        Assert.Equal(["sales.daily", "sales.unread"], datasets.GetProperty("datasets").EnumerateArray().Select(d => d.GetProperty("name").GetString()));

        var nodeId = Uri.EscapeDataString("job:spark://cluster-1:7077:etl.daily");
        var graph = (await _host.Http.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/lineage?nodeId={nodeId}&depth=2", UriKind.Relative), ct)).GetProperty("graph");
        var ids = graph.EnumerateArray().Select(n => n.GetProperty("id").GetString()).ToList();
        Assert.Equal(
            ["dataset:hive://metastore:export./tmp/export_test", "dataset:hive://metastore:sales.daily", "job:airflow:report.weekly", "job:spark://cluster-1:7077:etl.daily"],
            ids);
        var spark = graph.EnumerateArray().Single(n => n.GetProperty("id").GetString() == "job:spark://cluster-1:7077:etl.daily");
        Assert.Equal("JOB", spark.GetProperty("type").GetString());
        Assert.Equal("dataset:hive://metastore:export./tmp/export_test", Assert.Single(spark.GetProperty("inEdges").EnumerateArray()).GetProperty("origin").GetString());
        Assert.Equal("dataset:hive://metastore:sales.daily", Assert.Single(spark.GetProperty("outEdges").EnumerateArray()).GetProperty("destination").GetString());

        var shallow = (await _host.Http.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/lineage?nodeId={nodeId}&depth=1", UriKind.Relative), ct)).GetProperty("graph");
        Assert.Equal(3, shallow.GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await _host.Http.GetAsync(new Uri("/api/v1/lineage?nodeId=job:nowhere:x", UriKind.Relative), ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _host.Http.GetAsync(new Uri("/api/v1/lineage?nodeId=table:x:y", UriKind.Relative), ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _host.Http.GetAsync(new Uri("/api/v1/namespaces/nowhere/jobs", UriKind.Relative), ct)).StatusCode);
    }

    private async Task<HttpResponseMessage> PostAsync(string json, bool gzip)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        if (gzip)
        {
            using var buffer = new MemoryStream();
            using (var zip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
            {
                zip.Write(bytes);
            }

            bytes = buffer.ToArray();
        }

        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        if (gzip)
        {
            content.Headers.ContentEncoding.Add("gzip");
        }

        return await _host.Http.PostAsync(new Uri("/api/v1/lineage", UriKind.Relative), content, TestContext.Current.CancellationToken);
    }
}
