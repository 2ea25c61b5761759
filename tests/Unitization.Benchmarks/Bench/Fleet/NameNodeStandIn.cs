using System.Diagnostics;
using System.Net.Http.Headers;

namespace Unitization.Benchmarks.Bench.Fleet;

/// <summary>
/// A datacenter's NameNode for the fleet benches, as <c>infra/up.sh --hdfs</c> runs it: <c>unitization serve --roles
/// router</c> over a directory of its own (infra/config/hdfs-gateway.json, the only writer of its namespace) answering
/// WebHDFS, with an API token for the service that writes into it. Replicators reach it as a <c>Kind: hdfs</c>
/// namespace, so any number of replicator processes write at once (the NameNode serializes), as over a real HDFS.
/// </summary>
internal sealed class NameNodeStandIn : IAsyncDisposable
{
    private readonly Process _process;

    private NameNodeStandIn(Process process, string url, string token)
    {
        _process = process;
        Url = url;
        Token = token;
    }

    public string Url { get; }

    /// <summary>The bearer token the writing service sends (<c>Auth:GatewayBearerToken</c>): an admin of the stand-in, as the service is HDFS's superuser here (it makes HDFS's root).</summary>
    public string Token { get; }

    public static async Task<NameNodeStandIn> StartAsync(string root, string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var config = Path.Join(root, "infra", "config", "hdfs-gateway.json");
        var token = await CreateTokenAsync(root, config, directory, cancellationToken).ConfigureAwait(false);
        var url = $"http://127.0.0.1:{UnitizationProcesses.FreePort()}";
        var process = UnitizationProcesses.Start(
            root,
            ["serve", "--roles", "router", "--config", config, "--data", directory, "--urls", url, "--kafka", "127.0.0.1:9"],
            new Dictionary<string, string> { ["UNITIZATION_NamespaceAccess"] = "write" });
        var standIn = new NameNodeStandIn(process, url, token);
        try
        {
            await UnitizationProcesses.WaitHealthyAsync(url, process, TimeSpan.FromSeconds(180), cancellationToken).ConfigureAwait(false);
            // HDFS's root (the namespace's /hdfs, where the stand-in mounts /)
            using var http = standIn.Client();
            using var response = await http.PutAsync(new Uri("/webhdfs/v1/?op=MKDIRS&user.name=unitization", UriKind.Relative), null, cancellationToken).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            return standIn;
        }
        catch
        {
            await standIn.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>An HTTP client to the stand-in, authenticated as the writing service.</summary>
    public HttpClient Client()
    {
        // redirects by hand: HttpClient drops the Authorization header when it follows one
#pragma warning disable CA2000 // the client owns the handler
        var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }, disposeHandler: true) { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(60) };
#pragma warning restore CA2000
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return http;
    }

    /// <summary>Writes a file (WebHDFS CREATE: the NameNode's answer redirects to where the bytes go).</summary>
    public static async Task CreateFileAsync(HttpClient http, string path, byte[] content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        var target = new Uri($"/webhdfs/v1{path}?op=CREATE&overwrite=true&user.name=unitization", UriKind.Relative);
        for (var hop = 0; hop < 3; hop++)
        {
            using var body = new ByteArrayContent(content);
            using var response = await http.PutAsync(target, body, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode is System.Net.HttpStatusCode.TemporaryRedirect or System.Net.HttpStatusCode.RedirectKeepVerb && response.Headers.Location is { } location)
            {
                target = location;
                continue;
            }

            response.EnsureSuccessStatusCode();
            return;
        }

        throw new InvalidOperationException($"WebHDFS CREATE {path}: more than 3 redirects");
    }

    public ValueTask DisposeAsync() => new(UnitizationProcesses.StopAsync(_process));

    private static async Task<string> CreateTokenAsync(string root, string config, string directory, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Path.Join(root, "unitization")) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "tokens", "create", "--name", "bench-writer", "--role", "admin", "--config", config, "--data", directory })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("unitization tokens create did not start");
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        var token = (await process.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false)).Trim();
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return process.ExitCode == 0 && token.Length > 0
            ? token
            : throw new InvalidOperationException($"unitization tokens create failed for {directory}: {await errors.ConfigureAwait(false)}");
    }
}
