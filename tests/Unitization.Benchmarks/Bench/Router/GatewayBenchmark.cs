using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Unitization.ApiClient;

namespace Unitization.Benchmarks.Bench.Router;

/// <summary>
/// <c>unitization bench gateway</c>: WebHDFS OPEN of a file through a running router against three baselines run
/// alternately with it, round by round: reading the file straight from its namespace directory, sending it over a bare
/// loopback TCP socket (the transport's ceiling, no HTTP), and serving it from a bare Kestrel with
/// <c>Results.File</c> (HTTP without the router). Prints MiB/s and ratios.
/// </summary>
internal static class GatewayBenchmark
{
    public static Command Create()
    {
        var url = new Option<string>("--url") { Description = "The router's base URL.", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var path = new Option<string>("--path") { Description = "The logical path to OPEN through the gateway.", Required = true };
        var file = new Option<FileInfo>("--file") { Description = "The same file on disk (the namespace's physical copy), read directly as the baseline.", Required = true };
        var rounds = new Option<int>("--rounds") { Description = "Reads of each kind.", DefaultValueFactory = _ => 10 };
        var token = new Option<string?>("--token") { Description = "A reader's API token (default: UNITIZATION_TOKEN; without either, Kerberos from the ticket cache)." };
        var command = new Command("gateway", "Gateway OPEN throughput as a ratio to reading the file directly (and to TCP and plain HTTP).") { url, path, file, rounds, token };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(url)!, parse.GetValue(path)!, parse.GetValue(file)!, parse.GetValue(rounds), ApiCredentials.Token(parse.GetValue(token)), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string baseUrl, string path, FileInfo file, int rounds, string? token, CancellationToken cancellationToken)
    {
        if (!file.Exists)
        {
            await Console.Error.WriteLineAsync($"bench gateway: --file {file.FullName} does not exist").ConfigureAwait(false);
            return 2;
        }

        using var http = ApiCredentials.CreateClient(new Uri(baseUrl), token, TimeSpan.FromMinutes(10));
        var gatewayUri = new Uri(new Uri(baseUrl), $"/webhdfs/v1{path}?op=OPEN");
        var fileServer = await StaticFileServer.StartAsync(file.FullName, cancellationToken).ConfigureAwait(false);
        await using var fileServerScope = fileServer.ConfigureAwait(false);
        using var socketServer = new TcpListener(IPAddress.Loopback, 0);
        socketServer.Start();
        var buffer = new byte[1 << 20];
        string? servedFrom = null;
        var readers = new (string Name, Func<Task<long>> Read)[]
        {
            ("baseline: the file read directly", () => ReadFileAsync(file.FullName, buffer, cancellationToken)),
            ("baseline: the file over a bare loopback TCP socket (no HTTP)", () => ReadSocketAsync(socketServer, file.FullName, buffer, cancellationToken)),
            ("baseline: the file over HTTP from a bare Kestrel (`Results.File`)", async () => (await GetAsync(http, fileServer.Uri, buffer, cancellationToken).ConfigureAwait(false)).Bytes),
            ("WebHDFS OPEN through the router", async () =>
            {
                var (bytes, dc) = await GetAsync(http, gatewayUri, buffer, cancellationToken).ConfigureAwait(false);
                servedFrom = dc;
                return bytes;
            }),
        };

        var seconds = new double[readers.Length];
        var bytes = new long[readers.Length];
        for (var round = 0; round <= rounds; round++)
        {
            for (var r = 0; r < readers.Length; r++)
            {
                var watch = Stopwatch.StartNew();
                var n = await readers[r].Read().ConfigureAwait(false);
                if (n < 0)
                {
                    return 1;
                }

                if (round > 0)
                {
                    bytes[r] += n;
                    seconds[r] += watch.Elapsed.TotalSeconds;
                }
            }
        }

        var rates = bytes.Select((b, r) => b / seconds[r] / (1 << 20)).ToArray();
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"{rounds} rounds of {file.Length:N0} bytes, the four reads alternating (first round discarded as warm-up); gateway served from {servedFrom ?? "?"}");
        Console.WriteLine("| read | MiB/s | ratio to direct | ratio to TCP | ratio to plain HTTP |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        for (var r = 0; r < readers.Length; r++)
        {
            Console.WriteLine(string.Create(inv, $"| {readers[r].Name} | {rates[r]:F0} | {rates[r] / rates[0]:F2} | {(r >= 1 ? $"{rates[r] / rates[1]:F2}" : "")} | {(r >= 2 ? $"{rates[r] / rates[2]:F2}" : "")} |"));
        }

        return 0;
    }

    private static async Task<long> ReadFileAsync(string file, byte[] buffer, CancellationToken cancellationToken)
    {
        var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (stream.ConfigureAwait(false))
        {
            return await Drain(stream, buffer, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One connection: the listener's side sends the file (1 MiB reads), this side drains it.</summary>
    private static async Task<long> ReadSocketAsync(TcpListener listener, string file, byte[] buffer, CancellationToken cancellationToken)
    {
        var send = Task.Run(
            async () =>
            {
                using var peer = await listener.AcceptTcpClientAsync(cancellationToken).ConfigureAwait(false);
                var source = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
                await using (source.ConfigureAwait(false))
                {
                    await source.CopyToAsync(peer.GetStream(), 1 << 20, cancellationToken).ConfigureAwait(false);
                }
            },
            cancellationToken);
        using var client = new TcpClient();
        await client.ConnectAsync((IPEndPoint)listener.LocalEndpoint, cancellationToken).ConfigureAwait(false);
        var received = await Drain(client.GetStream(), buffer, cancellationToken).ConfigureAwait(false);
        await send.ConfigureAwait(false);
        return received;
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
