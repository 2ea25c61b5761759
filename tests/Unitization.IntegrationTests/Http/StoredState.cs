using System.Text.Json;

namespace Unitization.IntegrationTests.Http;

/// <summary>
/// What the roles have stored, read over their own APIs: mounts, tenant caps and link rates, replication rules,
/// the placement plan's version, the migrations, and what the namespaces hold (directories, files, bytes under /).
/// Two equal snapshots mean a request changed none of it.
/// </summary>
internal static class StoredState
{
    public static async Task<string> SnapshotAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var mounts = await GetAsync(http, "/api/v1/mounts", cancellationToken);
        var caps = await GetAsync(http, "/api/v1/throttle/caps", cancellationToken);
        var state = await GetAsync(http, "/api/v1/throttle/state", cancellationToken);
        var rates = state.GetProperty("links").EnumerateArray().Select(l => $"{l.GetProperty("link")}={l.GetProperty("bytesPerSecond")}");
        var rules = await GetAsync(http, "/api/v1/replication/rules", cancellationToken);
        var plan = await GetAsync(http, "/api/v1/placement", cancellationToken);
        var version = plan.ValueKind == JsonValueKind.Object && plan.TryGetProperty("version", out var v) ? v.ToString() : "none";
        var migrations = await GetAsync(http, "/api/v1/migrations", cancellationToken);
        var ids = migrations.EnumerateArray().Select(m => m.GetProperty("id").GetString()).Order(StringComparer.Ordinal);
        var summary = await GetAsync(http, "/webhdfs/v1/?op=GETCONTENTSUMMARY", cancellationToken);
        return string.Join('\n',
            "mounts " + mounts.GetRawText(),
            "caps " + string.Join(',', caps.EnumerateArray().Select(c => $"{c.GetProperty("tenant")}={c.GetProperty("bytesPerSecond")}")),
            "rates " + string.Join(',', rates),
            "rules " + rules.GetRawText(),
            "plan " + version,
            "migrations " + string.Join(',', ids),
            "namespaces " + summary.GetRawText());
    }

    private static async Task<JsonElement> GetAsync(HttpClient http, string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if ((int)response.StatusCode >= 500)
        {
            throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}: {text}");
        }

        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
