using System.CommandLine;
using System.Diagnostics;
using System.Globalization;

namespace Unitization.Router.Cli.Bench;

/// <summary>
/// <c>unitization bench gateway</c>: WebHDFS OPEN of a file through a running router against reading the same file
/// straight from its namespace directory, run alternately, as a throughput ratio.
/// </summary>
internal static class GatewayBenchmark
{
    public static Command Create()
    {
        var url = new Option<string>("--url") { Description = "The router's base URL.", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var path = new Option<string>("--path") { Description = "The logical path to OPEN through the gateway.", Required = true };
        var file = new Option<FileInfo>("--file") { Description = "The same file on disk (the namespace's physical copy), read directly as the baseline.", Required = true };
        var rounds = new Option<int>("--rounds") { Description = "Reads of each kind.", DefaultValueFactory = _ => 10 };
        var command = new Command("gateway", "Gateway OPEN throughput as a ratio to reading the file directly.") { url, path, file, rounds };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(url)!, parse.GetValue(path)!, parse.GetValue(file)!, parse.GetValue(rounds), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string baseUrl, string path, FileInfo file, int rounds, CancellationToken cancellationToken)
    {
        if (!file.Exists)
        {
            await Console.Error.WriteLineAsync($"bench gateway: --file {file.FullName} does not exist").ConfigureAwait(false);
            return 2;
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(10) };
        var gatewayUri = new Uri(new Uri(baseUrl), $"/webhdfs/v1{path}?op=OPEN");
        var fileServer = await StaticFileServer.StartAsync(file.FullName, cancellationToken).ConfigureAwait(false);
        await using var fileServerScope = fileServer.ConfigureAwait(false);
        var buffer = new byte[1 << 20];
        double gatewaySeconds = 0, directSeconds = 0, staticSeconds = 0;
        long gatewayBytes = 0, directBytes = 0, staticBytes = 0;
        string? servedFrom = null;
        for (var round = 0; round <= rounds; round++)
        {
            var watch = Stopwatch.StartNew();
            var (gatewayRead, dc) = await GetAsync(http, gatewayUri, buffer, cancellationToken).ConfigureAwait(false);
            if (gatewayRead < 0)
            {
                return 1;
            }

            servedFrom = dc;
            if (round > 0)
            {
                gatewayBytes += gatewayRead;
                gatewaySeconds += watch.Elapsed.TotalSeconds;
            }

            watch.Restart();
            var (staticRead, _) = await GetAsync(http, fileServer.Uri, buffer, cancellationToken).ConfigureAwait(false);
            if (staticRead < 0)
            {
                return 1;
            }

            if (round > 0)
            {
                staticBytes += staticRead;
                staticSeconds += watch.Elapsed.TotalSeconds;
            }

            watch.Restart();
            var stream = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await using (stream.ConfigureAwait(false))
            {
                var n = await Drain(stream, buffer, cancellationToken).ConfigureAwait(false);
                if (round > 0)
                {
                    directBytes += n;
                    directSeconds += watch.Elapsed.TotalSeconds;
                }
            }
        }

        var gatewayRate = gatewayBytes / gatewaySeconds / (1 << 20);
        var directRate = directBytes / directSeconds / (1 << 20);
        var staticRate = staticBytes / staticSeconds / (1 << 20);
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"{rounds} rounds of {file.Length:N0} bytes (first round of each kind discarded as warm-up); gateway served from {servedFrom}");
        Console.WriteLine("| read | MiB/s | ratio to direct | ratio to plain HTTP |");
        Console.WriteLine("|---|---:|---:|---:|");
        Console.WriteLine(string.Create(inv, $"| baseline: the file read directly | {directRate:F0} | 1.00 | |"));
        Console.WriteLine(string.Create(inv, $"| baseline: the file over HTTP from a bare Kestrel (`Results.File`, in this process) | {staticRate:F0} | {staticRate / directRate:F2} | 1.00 |"));
        Console.WriteLine(string.Create(inv, $"| WebHDFS OPEN through the router | {gatewayRate:F0} | {gatewayRate / directRate:F2} | {gatewayRate / staticRate:F2} |"));
        return 0;
    }

    /// <summary>Reads the whole body; returns its length (-1 on an error status) and the datacenter that served it.</summary>
    private static async Task<(long Bytes, string? Datacenter)> GetAsync(HttpClient http, Uri uri, byte[] buffer, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            await Console.Error.WriteLineAsync($"bench gateway: GET {uri} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)}").ConfigureAwait(false);
            return (-1, null);
        }

        var datacenter = response.Headers.TryGetValues("X-Unitization-Datacenter", out var dc) ? string.Join(",", dc) : null;
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            return (await Drain(body, buffer, cancellationToken).ConfigureAwait(false), datacenter);
        }
    }

    private static async Task<long> Drain(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        long total = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
        }

        return total;
    }
}
