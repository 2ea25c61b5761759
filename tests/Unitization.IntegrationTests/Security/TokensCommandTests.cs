using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Unitization.Host.Hosting;
using Unitization.IntegrationTests.Processes;
using Unitization.TestUtils;
using Unitization.TestUtils.Servers;

namespace Unitization.IntegrationTests.Security;

/// <summary>
/// <c>unitization tokens create</c> prints a token once and stores only its hash; a running service accepts it, with
/// its role, and refuses it once <c>tokens revoke</c> ran (within the registry's refresh interval).
/// </summary>
public sealed class TokensCommandTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new("tokens-cli");
    private WebApplication _app = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _app = UnitizationHost.Build(new ServeSettings(RepositoryPaths.ShippedConfig, Role.Throttle, "http://127.0.0.1:0", DataFolder: _data.Path));
        await _app.StartAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task CreatedToken_IsAcceptedWithItsRole_UntilRevoked()
    {
        var (code, output) = await RunAsync("create", "--name", "ci-operator", "--role", "operator");
        Assert.True(code == 0, output);
        var token = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Single(l => l.StartsWith("unz_", StringComparison.Ordinal));
        foreach (var file in Directory.GetFiles(_data.Path, "state.db*"))
        {
            Assert.DoesNotContain(token, await File.ReadAllTextAsync(file, Ct), StringComparison.Ordinal);
        }

        using var http = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var cap = new StringContent("""{"bytesPerSecond":1000000,"setBy":"ci"}""", System.Text.Encoding.UTF8, "application/json");
        Assert.True(await Eventually.TrueAsync(async () => (await http.PutAsync(new Uri("/api/v1/throttle/caps/ci", UriKind.Relative), cap, Ct)).IsSuccessStatusCode, TimeSpan.FromSeconds(30), Ct), "the new token was not accepted");
        using (var rate = await http.PutAsync(new Uri("/api/v1/throttle/links/dcA/dcB/rate", UriKind.Relative), new StringContent("""{"bytesPerSecond":100000000,"setBy":"ci"}""", System.Text.Encoding.UTF8, "application/json"), Ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, rate.StatusCode);
        }

        var (listed, list) = await RunAsync("list");
        Assert.Equal(0, listed);
        Assert.Contains("ci-operator\toperator", list, StringComparison.Ordinal);
        Assert.DoesNotContain(token, list, StringComparison.Ordinal);

        var (again, twice) = await RunAsync("create", "--name", "ci-operator", "--role", "reader");
        Assert.NotEqual(0, again);
        Assert.Contains("exists", twice, StringComparison.Ordinal);

        Assert.Equal(0, (await RunAsync("revoke", "--name", "ci-operator")).Code);
        Assert.True(await Eventually.TrueAsync(async () => (await http.GetAsync(new Uri("/api/v1/throttle/state", UriKind.Relative), Ct)).StatusCode == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(30), Ct), "the revoked token was still accepted");
    }

    [Fact]
    public async Task Create_WithAnUnknownRole_IsRefused()
    {
        var (code, output) = await RunAsync("create", "--name", "x", "--role", "superuser");
        Assert.NotEqual(0, code);
        Assert.Contains("superuser", output, StringComparison.Ordinal);
    }

    private async Task<(int Code, string Output)> RunAsync(params string[] arguments)
    {
        using var cli = CollectedProcess.StartUnitization(["tokens", .. arguments, "--config", RepositoryPaths.ShippedConfig, "--data", _data.Path]);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await cli.Process.WaitForExitAsync(timeout.Token);
        return (cli.Process.ExitCode, cli.Output);
    }
}
