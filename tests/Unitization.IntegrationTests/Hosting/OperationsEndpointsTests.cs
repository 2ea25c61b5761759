using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Unitization.TestUtils.Security;
using Unitization.Host.Hosting;
using Unitization.TestUtils;
using Unitization.TestUtils.Servers;

namespace Unitization.IntegrationTests.Hosting;

/// <summary>What operators plug in on every role: the OpenAPI document, Prometheus metrics, JSON log lines.</summary>
public sealed class OperationsEndpointsTests : IDisposable
{
    private readonly TempDirectory _data = new("operations");

    public static TheoryData<string> Roles => new() { "datamanager", "replicator", "router", "analytics", "throttle" };

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task Serve_OneRole_AnswersOpenApiOfThatRoleAndMetrics(string role)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await StartAsync(role, ct);
        var app = host.App;
        using var http = new TestHttpClient { BaseAddress = new Uri(app.Urls.First()) };

        using var openApi = await http.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative), ct);
        Assert.Equal(HttpStatusCode.OK, openApi.StatusCode);
        var document = JsonDocument.Parse(await openApi.Content.ReadAsStringAsync(ct)).RootElement;
        var operations = document.GetProperty("paths").EnumerateObject().SelectMany(p => p.Value.EnumerateObject().Select(o => (Path: p.Name, Operation: o.Value))).ToList();
        Assert.NotEmpty(operations);
        // every process also serves the audit log (tag "security"); the rest is the role's own
        foreach (var (path, operation) in operations.Where(o => o.Path != "/api/v1/audit"))
        {
            Assert.Equal([role], operation.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
            var responses = operation.GetProperty("responses");
            Assert.True(responses.TryGetProperty("500", out var error), $"{path}: no 500 problem response");
            Assert.True(error.GetProperty("content").TryGetProperty("application/problem+json", out _), $"{path}: the 500 response is not a problem");
            Assert.True(responses.EnumerateObject().Any(r => r.Name.StartsWith('2')), $"{path}: no success response");
        }

        Assert.True(document.GetProperty("components").GetProperty("schemas").TryGetProperty("ProblemDetails", out _));

        using var metrics = await http.GetAsync(new Uri("/metrics", UriKind.Relative), ct);
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.StartsWith("text/plain", metrics.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Contains("# TYPE ", await metrics.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiReference_AllRoles_MatchesDocsApiMd()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await StartAsync("all", ct);
        var app = host.App;
        using var http = new TestHttpClient { BaseAddress = new Uri(app.Urls.First()) };
        var document = JsonDocument.Parse(await http.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), ct)).RootElement;
        var generated = ApiReference.Markdown(document);
        var file = Path.Combine(RepositoryPaths.Root, "docs", "api.md");
        if (Environment.GetEnvironmentVariable(ApiReference.UpdateVariable) == "1")
        {
            await File.WriteAllTextAsync(file, generated, ct);
        }

        var committed = File.Exists(file) ? (await File.ReadAllTextAsync(file, ct)).ReplaceLineEndings("\n") : string.Empty;
        Assert.True(committed == generated.ReplaceLineEndings("\n"),
            $"docs/api.md differs from the OpenAPI document: rerun this test with {ApiReference.UpdateVariable}=1 and commit the file.");
        Assert.DoesNotContain("(untagged)", generated, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Executable_LogFormatJson_WritesOneJsonObjectPerLine()
    {
        var ct = TestContext.Current.CancellationToken;
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                Path.Combine(AppContext.BaseDirectory, "unitization.dll"), "serve", "--roles", "throttle", "--config", RepositoryPaths.ShippedConfig,
                "--urls", $"http://127.0.0.1:{port}", "--data", _data.Path,
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["UNITIZATION_Logging__Format"] = "json";
        using var process = Process.Start(start)!;
        var lines = new List<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (lines)
                {
                    lines.Add(e.Data);
                }
            }
        };
        process.BeginOutputReadLine();
        var stderr = process.StandardError.ReadToEndAsync(ct);
        try
        {
            // the host's "listening on" event (1300) is the last of its start
            Assert.True(
                await Eventually.TrueAsync(() => Task.FromResult(Snapshot(lines).Any(l => l.Contains("\"EventId\":1300", StringComparison.Ordinal))), TimeSpan.FromSeconds(60), ct),
                "no listening event in: " + string.Join('\n', Snapshot(lines)));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(ct);
        }

        var output = Snapshot(lines).Where(l => l.Length > 0).ToList();
        Assert.True(output.Count >= 2, "expected the start's log events");
        foreach (var line in output)
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            Assert.Equal(JsonValueKind.Object, root.ValueKind);
            foreach (var property in new[] { "Timestamp", "EventId", "LogLevel", "Category", "Message" })
            {
                Assert.True(root.TryGetProperty(property, out _), $"{property} missing in {line}");
            }
        }

        var listening = output.Select(l => JsonDocument.Parse(l).RootElement).Single(e => e.GetProperty("EventId").GetInt32() == 1300);
        Assert.Equal($"http://127.0.0.1:{port}", listening.GetProperty("State").GetProperty("Url").GetString());
        Assert.Equal(string.Empty, (await stderr).Trim());
    }

    /// <summary>
    /// Every metric the Grafana dashboard (infra/grafana/unitization.json) queries is one a running host exports: all
    /// roles with the sample metastore, after a replication, a placement refresh, a resolve and a gateway read.
    /// </summary>
    [Fact]
    public async Task GrafanaDashboard_MetricNames_AreExportedByMetrics()
    {
        var ct = TestContext.Current.CancellationToken;
        var wanted = GrafanaMetricNames();
        Assert.True(wanted.Count >= 10, "the dashboard queries too few metrics: " + string.Join(", ", wanted));

        var topic = "hms-events-metrics-" + Guid.NewGuid().ToString("N")[..8];
        await Replication.ReplicationStack.CreateTopicAsync(topic, 2, ct);
        await Replication.ReplicationStack.CreateTopicAsync(topic + "-dlq", 1, ct);
        var overrides = new Dictionary<string, string?>
        {
            ["Replication:EventsTopic"] = topic,
            ["Replication:DeadLetterTopic"] = topic + "-dlq",
            ["Replication:ConsumerGroup"] = topic,
        };
        if (TestServers.ClickHouse is { } clickHouse)
        {
            overrides["Analytics:ClickHouseUrl"] = clickHouse;
        }

        var app = UnitizationHost.Build(new ServeSettings(
            RepositoryPaths.ShippedConfig, Role.All, "http://127.0.0.1:0", TestServers.RequireKafka(), _data.Combine("grafana"), overrides,
            new Unitization.SampleHms.SampleHmsSettings(TimeSpan.FromMilliseconds(300))));
        await app.StartAsync(ct);
        await using var host = new RunningHost(app);
        using var http = new TestHttpClient { BaseAddress = new Uri(app.Urls.First()) };

        // a placement refresh over the demo lineage
        var lineage = "[" + string.Join(",", File.ReadLines(Path.Combine(RepositoryPaths.Root, "infra", "demo", "lineage.jsonl")).Where(l => l.Length > 0)) + "]";
        using (var posted = await http.PostAsync(new Uri("/api/v1/lineage", UriKind.Relative), new StringContent(lineage, System.Text.Encoding.UTF8, "application/json"), ct))
        {
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        }

        using (var refreshed = await http.PostAsync(new Uri("/api/v1/placement/refresh?wait=true", UriKind.Relative), null, ct))
        {
            Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        }

        // the sample metastore's table reaches dcB (copies, lag, throttle grants); then a resolve and a gateway read
        const string File0 = "/warehouse/sales/orders/part-00000";
        Assert.True(await Eventually.TrueAsync(
            async () => (await http.GetStringAsync(new Uri($"/api/v1/resolve?path={File0}&clientIp=127.0.2.10", UriKind.Relative), ct)).Contains("\"FreshReplica\"", StringComparison.Ordinal),
            TimeSpan.FromSeconds(90), ct), "no fresh replica of " + File0 + " in dcB");
        using (var read = await http.GetAsync(new Uri($"/webhdfs/v1{File0}?op=OPEN", UriKind.Relative), ct))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }

        var exported = new HashSet<string>(StringComparer.Ordinal);
        var complete = await Eventually.TrueAsync(
            async () =>
            {
                exported = ExportedNames(await http.GetStringAsync(new Uri("/metrics", UriKind.Relative), ct));
                return wanted.IsSubsetOf(exported);
            },
            TimeSpan.FromSeconds(30),
            ct);
        Assert.True(complete, "queried by infra/grafana/unitization.json but not exported: " + string.Join(", ", wanted.Except(exported).Order(StringComparer.Ordinal)));
    }

    /// <summary>The <c>unitization_*</c> names in every query (<c>expr</c>) of the Grafana dashboard.</summary>
    private static HashSet<string> GrafanaMetricNames()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "infra", "grafana", "unitization.json")));
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var panel in dashboard.RootElement.GetProperty("panels").EnumerateArray())
        {
            foreach (var target in panel.GetProperty("targets").EnumerateArray())
            {
                foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(target.GetProperty("expr").GetString()!, "unitization_[a-z0-9_]+"))
                {
                    names.Add(m.Value);
                }
            }
        }

        return names;
    }

    /// <summary>The sample names of Prometheus text (histograms give their _bucket, _sum and _count lines).</summary>
    private static HashSet<string> ExportedNames(string text) =>
        new(text.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => l[..l.IndexOfAny(['{', ' '])]), StringComparer.Ordinal);

    [Fact]
    public void Build_UnknownLogFormat_NamesTheKey()
    {
        var error = Assert.Throws<ConfigurationFileException>(() => UnitizationHost.Build(new ServeSettings(
            RepositoryPaths.ShippedConfig, Role.Throttle, "http://127.0.0.1:0", DataFolder: _data.Path,
            Overrides: new Dictionary<string, string?> { ["Logging:Format"] = "xml" })));
        Assert.Contains("Logging:Format: 'xml' is not a log format", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _data.Dispose();

    private static List<string> Snapshot(List<string> lines)
    {
        lock (lines)
        {
            return [.. lines];
        }
    }

    private async Task<RunningHost> StartAsync(string roles, CancellationToken ct)
    {
        var overrides = new Dictionary<string, string?>();
        if (TestServers.ClickHouse is { } clickHouse)
        {
            overrides["Analytics:ClickHouseUrl"] = clickHouse;
        }

        var app = UnitizationHost.Build(new ServeSettings(
            RepositoryPaths.ShippedConfig, RoleList.Parse(roles), "http://127.0.0.1:0", TestServers.RequireKafka(), _data.Combine(roles), overrides));
        await app.StartAsync(ct);
        return new RunningHost(app);
    }

    /// <summary>A started host that is stopped, then disposed, at the end of the test.</summary>
    private sealed class RunningHost(Microsoft.AspNetCore.Builder.WebApplication app) : IAsyncDisposable
    {
        public Microsoft.AspNetCore.Builder.WebApplication App { get; } = app;

        public async ValueTask DisposeAsync()
        {
            await App.StopAsync(CancellationToken.None);
            await App.DisposeAsync();
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
