using System.Diagnostics;
using System.Net;
using System.Text.Json;
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
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        using var openApi = await http.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative), ct);
        Assert.Equal(HttpStatusCode.OK, openApi.StatusCode);
        var document = JsonDocument.Parse(await openApi.Content.ReadAsStringAsync(ct)).RootElement;
        var operations = document.GetProperty("paths").EnumerateObject().SelectMany(p => p.Value.EnumerateObject().Select(o => (Path: p.Name, Operation: o.Value))).ToList();
        Assert.NotEmpty(operations);
        foreach (var (path, operation) in operations)
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
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
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
