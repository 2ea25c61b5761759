using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Unitization.TestUtils.Security;
using Unitization.Host.Hosting;
using Unitization.TestUtils;
using Unitization.TestUtils.Servers;

namespace Unitization.IntegrationTests.Hosting;

public sealed class ServeTests : IDisposable
{
    private readonly TempDirectory _data = new("serve");

    public static TheoryData<string> Roles => new() { "datamanager", "replicator", "router", "analytics", "throttle", "all" };

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task Serve_ShippedConfigWithRole_AnswersHealthz(string role)
    {
        var overrides = new Dictionary<string, string?>();
        if (TestServers.ClickHouse is { } clickHouse)
        {
            overrides["Analytics:ClickHouseUrl"] = clickHouse;
        }

        var app = UnitizationHost.Build(new ServeSettings(
            RepositoryPaths.ShippedConfig, RoleList.Parse(role), "http://127.0.0.1:0", TestServers.RequireKafka(), _data.Path, overrides));
        await app.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            using var http = new TestHttpClient { BaseAddress = new Uri(app.Urls.First()) };
            using var response = await http.GetAsync(new Uri("/healthz", UriKind.Relative), TestContext.Current.CancellationToken);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
            var roles = body.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).ToArray();
            var expected = RoleList.Format(RoleList.Parse(role)).ToArray();
            Assert.Equal(expected, roles);
            Assert.True(body.GetProperty("checks").EnumerateObject().Any(), "every role registers at least one health check");
            Assert.NotEqual("Unhealthy", body.GetProperty("status").GetString());
        }
        finally
        {
            await app.StopAsync(TestContext.Current.CancellationToken);
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Build_OutgoingHttpRequests_LoggedOnlyFromWarningsUp()
    {
        // not started: the filters are the host's, whatever the roles talk to
        var app = UnitizationHost.Build(new ServeSettings(
            RepositoryPaths.ShippedConfig, RoleList.Parse("all"), "http://127.0.0.1:0", "127.0.0.1:9", _data.Path, new Dictionary<string, string?>()));
        try
        {
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("System.Net.Http.HttpClient.Unitization.Throttle.LogicalHandler");
            Assert.False(logger.IsEnabled(LogLevel.Information), "every lease request would log its start and end");
            Assert.True(logger.IsEnabled(LogLevel.Warning));
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Executable_ServeAll_AnswersHealthzAndStopsOnSigterm()
    {
        var kafka = TestServers.RequireKafka();
        var exe = Path.Combine(AppContext.BaseDirectory, "unitization.dll");
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { exe, "serve", "--roles", "all", "--config", RepositoryPaths.ShippedConfig, "--urls", $"http://127.0.0.1:{port}", "--kafka", kafka, "--data", _data.Path },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (TestServers.ClickHouse is { } clickHouse)
        {
            start.Environment["UNITIZATION_Analytics__ClickHouseUrl"] = clickHouse;
        }

        using var process = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new TestHttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var healthy = await Eventually.TrueAsync(
                async () =>
                {
                    try
                    {
                        using var response = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
                        return response.IsSuccessStatusCode;
                    }
                    catch (HttpRequestException)
                    {
                        return !process.HasExited && false;
                    }
                },
                TimeSpan.FromSeconds(60),
                TestContext.Current.CancellationToken);
            Assert.True(healthy, "serve did not answer /healthz: " + output);
        }
        finally
        {
            if (!process.HasExited)
            {
                Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
            }
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(cts.Token);
        Assert.Equal(0, process.ExitCode);
    }

    public void Dispose() => _data.Dispose();

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
