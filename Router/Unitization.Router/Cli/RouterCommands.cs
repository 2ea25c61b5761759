using System.CommandLine;
using System.Net.Http.Json;
using System.Text.Json;
using Unitization.ApiClient;
using Unitization.Router.Api;

namespace Unitization.Router.Cli;

/// <summary>The command-line verbs Router contributes: <c>resolve</c>, and its benchmarks.</summary>
public static class RouterCommands
{
    public static IEnumerable<Command> Verbs()
    {
        var path = new Argument<string>("path") { Description = "The logical path, e.g. /warehouse/sales/orders/part-0." };
        var clientIp = new Option<string?>("--client-ip") { Description = "The client address to resolve for (default: this machine's address as the router sees it)." };
        var intent = new Option<string>("--intent") { Description = "read or write.", DefaultValueFactory = _ => "read" };
        var url = new Option<string>("--url") { Description = "The router's base URL.", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var json = new Option<bool>("--json") { Description = "Print the answer as JSON." };
        var token = new Option<string?>("--token") { Description = "An API token or JWT (default: UNITIZATION_TOKEN; without either, Kerberos from the ticket cache)." };
        var resolve = new Command("resolve", "Resolve a path for a client IP to the nearest fresh copy (asks a running router).")
        {
            path, clientIp, intent, url, json, token,
        };
        resolve.SetAction((parse, cancellationToken) => ResolveAsync(
            parse.GetValue(path)!, parse.GetValue(clientIp), parse.GetValue(intent)!, parse.GetValue(url)!, parse.GetValue(json), ApiCredentials.Token(parse.GetValue(token)), cancellationToken));
        yield return resolve;
    }

    private static async Task<int> ResolveAsync(string path, string? clientIp, string intent, string url, bool json, string? token, CancellationToken cancellationToken)
    {
        using var http = ApiCredentials.CreateClient(new Uri(url), token, TimeSpan.FromSeconds(30));
        var query = $"/api/v1/resolve?path={Uri.EscapeDataString(path)}&intent={Uri.EscapeDataString(intent)}" +
            (clientIp is null ? string.Empty : $"&clientIp={Uri.EscapeDataString(clientIp)}");
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(query, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            await Console.Error.WriteLineAsync($"unitization resolve: cannot reach the router at {url} ({ex.Message}); start it with 'unitization serve --roles router --config FILE' or pass --url").ConfigureAwait(false);
            return 2;
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var detail = TryDetail(body) ?? body;
                await Console.Error.WriteLineAsync($"unitization resolve: {path}: {detail}").ConfigureAwait(false);
                return 1;
            }

            if (json)
            {
                Console.WriteLine(body);
                return 0;
            }

            var answer = JsonSerializer.Deserialize<ResolveResponse>(body, JsonSerializerOptions.Web)!;
            Console.WriteLine($"path           {answer.Path}");
            Console.WriteLine($"client         {answer.ClientIp} -> {answer.ClientDatacenter}{(answer.ClientKnown ? string.Empty : " (unknown address: default datacenter)")}");
            Console.WriteLine($"mount          {answer.Mount}");
            Console.WriteLine($"datacenter     {answer.Datacenter} (namespace {answer.Namespace})");
            Console.WriteLine($"physical path  {answer.PhysicalPath}");
            Console.WriteLine($"version        {answer.Version}");
            Console.WriteLine($"fresh          {answer.Fresh.ToString().ToLowerInvariant()}");
            Console.WriteLine($"reason         {answer.Reason}: {answer.Explanation}");
            return 0;
        }
    }

    private static string? TryDetail(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("detail", out var detail) ? detail.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
