using System.CommandLine;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Spectre.Console;
using Unitization.ApiClient;
using Unitization.DataManager.Apply;

namespace Unitization.DataManager.Cli;

/// <summary>
/// <c>unitization plan diff</c> (what the plan in force changes against what is applied: bytes and time per change)
/// and <c>unitization plan apply</c> (all or <c>--change ID</c> ones, <c>--dry-run</c>; a progress bar per change
/// until the apply ends), against a running datamanager.
/// </summary>
internal static class PlanCommand
{
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(500);

    public static Command Create()
    {
        var url = new Option<string>("--url") { Description = "The datamanager's base URL.", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var json = new Option<bool>("--json") { Description = "Print the answer as JSON." };
        var token = new Option<string?>("--token") { Description = "An API token or JWT (default: UNITIZATION_TOKEN; without either, Kerberos from the ticket cache)." };
        var diff = new Command("diff", "List the changes between the plan in force and what is applied (GET /api/v1/placement/changes).") { url, json, token };
        diff.SetAction((parse, cancellationToken) => DiffAsync(parse.GetValue(url)!, parse.GetValue(json), ApiCredentials.Token(parse.GetValue(token)), cancellationToken));

        var changes = new Option<string[]>("--change") { Description = "A change id from 'plan diff' (repeat for several; none: all changes).", AllowMultipleArgumentsPerToken = true };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what would be applied, and apply nothing." };
        var apply = new Command("apply", "Apply the plan's changes: bootstrap copies, mount updates, primary moves, retirements (POST /api/v1/placement/apply).")
        {
            url, changes, dryRun, json, token,
        };
        apply.SetAction((parse, cancellationToken) => ApplyAsync(
            parse.GetValue(url)!, parse.GetValue(changes) ?? [], parse.GetValue(dryRun), parse.GetValue(json), ApiCredentials.Token(parse.GetValue(token)), cancellationToken));
        return new Command("plan", "The placement plan against the world: diff, apply.") { diff, apply };
    }

    private static async Task<int> DiffAsync(string url, bool json, string? token, CancellationToken cancellationToken)
    {
        using var http = ApiCredentials.CreateClient(new Uri(url), token, TimeSpan.FromSeconds(60));
        var (status, body) = await SendAsync(() => http.GetAsync("/api/v1/placement/changes", cancellationToken), url, cancellationToken).ConfigureAwait(false);
        if (status != 200)
        {
            return Fail("plan diff", body, status);
        }

        if (json)
        {
            Console.WriteLine(body);
            return 0;
        }

        Print(JsonSerializer.Deserialize<PlacementChanges>(body, JsonSerializerOptions.Web)!);
        return 0;
    }

    private static async Task<int> ApplyAsync(string url, string[] changes, bool dryRun, bool json, string? token, CancellationToken cancellationToken)
    {
        using var http = ApiCredentials.CreateClient(new Uri(url), token, TimeSpan.FromSeconds(60));
        var request = new ApplyRequest(changes.Length == 0 ? null : changes, dryRun);
        var (status, body) = await SendAsync(() => http.PostAsJsonAsync("/api/v1/placement/apply", request, JsonSerializerOptions.Web, cancellationToken), url, cancellationToken)
            .ConfigureAwait(false);
        if (status is not (200 or 202))
        {
            return Fail("plan apply", body, status);
        }

        if (dryRun)
        {
            if (json)
            {
                Console.WriteLine(body);
            }
            else
            {
                Console.WriteLine("dry run: nothing applied");
                Print(JsonSerializer.Deserialize<PlacementChanges>(body, JsonSerializerOptions.Web)!);
            }

            return 0;
        }

        var run = JsonSerializer.Deserialize<ApplyRun>(body, JsonSerializerOptions.Web)!;
        if (json)
        {
            run = await FollowAsync(http, run, _ => { }, cancellationToken).ConfigureAwait(false);
            Console.WriteLine(JsonSerializer.Serialize(run, JsonSerializerOptions.Web));
            return run.State == "done" ? 0 : 1;
        }

        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var bars = run.Steps.Select(s => context.AddTask(Markup.Escape(Describe(s.Change)), maxValue: 1)).ToArray();
                run = await FollowAsync(http, run, now =>
                {
                    for (var i = 0; i < bars.Length && i < now.Steps.Count; i++)
                    {
                        bars[i].Value = now.Steps[i].Progress;
                        if (now.Steps[i].Status == "failed")
                        {
                            bars[i].Description = $"[red]failed[/] {Markup.Escape(Describe(now.Steps[i].Change))}";
                            bars[i].StopTask();
                        }
                    }
                }, cancellationToken).ConfigureAwait(false);
            }).ConfigureAwait(false);
        foreach (var step in run.Steps.Where(s => s.Error is not null))
        {
            await Console.Error.WriteLineAsync($"unitization plan apply: {step.Change.Id}: {step.Error}").ConfigureAwait(false);
        }

        Console.WriteLine(run.State == "done" ? $"applied {run.Steps.Count} changes of plan version {run.PlanVersion}" : run.Error);
        return run.State == "done" ? 0 : 1;
    }

    private static async Task<ApplyRun> FollowAsync(HttpClient http, ApplyRun run, Action<ApplyRun> show, CancellationToken cancellationToken)
    {
        show(run);
        while (run.State == "running")
        {
            await Task.Delay(PollEvery, TimeProvider.System, cancellationToken).ConfigureAwait(false);
            var now = await http.GetFromJsonAsync<ApplyRun>("/api/v1/placement/apply", JsonSerializerOptions.Web, cancellationToken).ConfigureAwait(false);
            if (now is null || now.Id != run.Id)
            {
                throw new InvalidOperationException("the datamanager no longer reports this apply (restarted?): see GET /api/v1/placement/changes for what is left");
            }

            run = now;
            show(run);
        }

        return run;
    }

    private static void Print(PlacementChanges changes)
    {
        Console.WriteLine($"plan version {changes.PlanVersion}: {changes.Changes.Count} changes, {changes.Bytes.ToString("N0", CultureInfo.InvariantCulture)} bytes, about {Eta(changes.EstimatedSeconds)} at the links' rates");
        foreach (var c in changes.Changes)
        {
            var copy = c.Bytes is { } b
                ? $"{b.ToString("N0", CultureInfo.InvariantCulture)} B, {(c.EstimatedSeconds is { } s ? "about " + Eta(s) : "time unknown")}"
                : "nothing there to copy yet";
            Console.WriteLine($"  {c.Id}\n      {Describe(c)}; {copy}");
        }

        if (changes.Unmapped.Count > 0)
        {
            Console.WriteLine($"  {changes.Unmapped.Count} datasets have no known path (no metastore location, no Router:DatasetPaths template): {string.Join(", ", changes.Unmapped.Take(5))}{(changes.Unmapped.Count > 5 ? ", ..." : string.Empty)}");
        }
    }

    private static string Describe(PlacementChange c) => c.Kind switch
    {
        PlacementChangeKind.MovePrimary => $"move primary of {c.Name} {c.From} -> {c.To} ({c.Path})",
        PlacementChangeKind.AddReplica => $"add replica of {c.Name} in {c.To} from {c.From} ({c.Path})",
        _ => $"retire replica of {c.Name} in {c.To} ({c.Path})",
    };

    /// <summary>A copy's time for a reader: "45 s", "12 min 05 s", "3 h 20 min", "2 d 04 h" (rounded up to the second).</summary>
    internal static string Eta(double seconds)
    {
        var s = (long)Math.Ceiling(Math.Max(0, seconds));
        return s switch
        {
            < 60 => string.Create(CultureInfo.InvariantCulture, $"{s} s"),
            < 3600 => string.Create(CultureInfo.InvariantCulture, $"{s / 60} min {s % 60:00} s"),
            < 86400 => string.Create(CultureInfo.InvariantCulture, $"{s / 3600} h {s % 3600 / 60:00} min"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{s / 86400} d {s % 86400 / 3600:00} h"),
        };
    }

    private static async Task<(int Status, string Body)> SendAsync(Func<Task<HttpResponseMessage>> send, string url, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await send().ConfigureAwait(false);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (HttpRequestException ex)
        {
            return (0, $"cannot reach the datamanager at {url} ({ex.Message}); start it with 'unitization serve' or pass --url");
        }
    }

    private static int Fail(string verb, string body, int status)
    {
        string detail;
        try
        {
            using var document = JsonDocument.Parse(body);
            detail = document.RootElement.TryGetProperty("detail", out var d) ? d.GetString() ?? body : body;
        }
        catch (JsonException)
        {
            detail = body;
        }

        Console.Error.WriteLine($"unitization {verb}: {(status == 0 ? string.Empty : $"HTTP {status}: ")}{detail}");
        return status == 0 ? 2 : 1;
    }
}
