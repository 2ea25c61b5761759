using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Unitization.ApiClient;

namespace Unitization.Benchmarks.Bench.Router;

/// <summary>
/// <c>unitization bench http-resolve</c>: <c>wrk</c> against a running router's <c>/api/v1/resolve</c>, with the same
/// host's <c>/healthz</c> as the baseline, run one after the other with the same settings.
/// </summary>
internal static partial class HttpResolveBenchmark
{
    public static Command Create()
    {
        var url = new Option<string>("--url") { Description = "The router's base URL.", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var path = new Option<string>("--path") { Description = "The path to resolve.", DefaultValueFactory = _ => "/warehouse/sales/orders/part-0" };
        var clientIp = new Option<string>("--client-ip") { Description = "The client address to resolve for.", DefaultValueFactory = _ => "127.0.2.10" };
        var duration = new Option<int>("--seconds") { Description = "Seconds per wrk run.", DefaultValueFactory = _ => 10 };
        var connections = new Option<int>("--connections") { Description = "wrk connections.", DefaultValueFactory = _ => 32 };
        var token = new Option<string?>("--token") { Description = "A reader's API token, sent on every request (default: UNITIZATION_TOKEN)." };
        var command = new Command("http-resolve", "HTTP resolve requests/s with wrk, against the same host's /healthz as the baseline.") { url, path, clientIp, duration, connections, token };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(url)!, parse.GetValue(path)!, parse.GetValue(clientIp)!, parse.GetValue(duration), parse.GetValue(connections), ApiCredentials.Token(parse.GetValue(token)), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string url, string path, string clientIp, int seconds, int connections, string? token, CancellationToken cancellationToken)
    {
        var baseUrl = url.TrimEnd('/');
        var resolveUrl = $"{baseUrl}/api/v1/resolve?path={Uri.EscapeDataString(path)}&clientIp={Uri.EscapeDataString(clientIp)}";
        var healthz = await WrkAsync($"{baseUrl}/healthz", seconds, connections, token, cancellationToken).ConfigureAwait(false);
        var resolve = await WrkAsync(resolveUrl, seconds, connections, token, cancellationToken).ConfigureAwait(false);
        if (healthz is null || resolve is null)
        {
            return 1;
        }

        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"wrk -t2 -c{connections} -d{seconds}s, one run each, same host");
        Console.WriteLine("| endpoint | requests/s | ratio |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine(string.Create(inv, $"| baseline: GET /healthz | {healthz:N0} | 1.00 |"));
        Console.WriteLine(string.Create(inv, $"| GET /api/v1/resolve | {resolve:N0} | {resolve / healthz:F2} |"));
        return 0;
    }

    private static async Task<double?> WrkAsync(string url, int seconds, int connections, string? token, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // every request carries the token (the resolve pays for its check; /healthz ignores it)
        string[] header = token is null ? [] : ["-H", "Authorization: Bearer " + token];
        foreach (var argument in header.Concat(["-t2", $"-c{connections}", $"-d{seconds}s", url]))
        {
            start.ArgumentList.Add(argument);
        }

        Process? process;
        try
        {
            process = Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            await Console.Error.WriteLineAsync("bench http-resolve: wrk is not installed; install it with: sudo apt-get install -y wrk").ConfigureAwait(false);
            return null;
        }

        using (process)
        {
            var output = await process!.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            var match = RequestsPerSecond().Match(output);
            if (process.ExitCode != 0 || !match.Success || output.Contains("Non-2xx", StringComparison.Ordinal))
            {
                await Console.Error.WriteLineAsync($"bench http-resolve: wrk against {url} failed or saw errors:{Environment.NewLine}{output}{await process.StandardError.ReadToEndAsync(cancellationToken).ConfigureAwait(false)}").ConfigureAwait(false);
                return null;
            }

            return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        }
    }

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex RequestsPerSecond();
}
