using System.Globalization;
using System.Text.Json;

namespace Unitization.Analytics.Throttling;

/// <summary>
/// What the dashboard shows of the throttle's state (<c>GET /api/v1/throttle/state</c>): each link's rate (the one
/// source of link capacity) and, per priority class over all links, the bytes granted and the bytes waiting.
/// </summary>
internal static class ThrottleSummary
{
    public static IReadOnlyList<LinkRate> LinkRates(JsonElement state) =>
        [.. Links(state).Select(l =>
        {
            var name = l.GetProperty("link").GetString() ?? string.Empty;
            var arrow = name.IndexOf("->", StringComparison.Ordinal);
            return new LinkRate(arrow < 0 ? name : name[..arrow], arrow < 0 ? string.Empty : name[(arrow + 2)..], l.GetProperty("bytesPerSecond").GetDouble());
        })];

    public static IReadOnlyList<ThrottleClass> Classes(JsonElement state)
    {
        var sums = new Dictionary<string, (long Granted, long Waiting)>(StringComparer.Ordinal);
        foreach (var link in Links(state))
        {
            if (!link.TryGetProperty("classes", out var classes) || classes.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var c in classes.EnumerateArray())
            {
                var priority = c.GetProperty("priority").ToString();
                var (granted, waiting) = sums.GetValueOrDefault(priority);
                sums[priority] = (granted + c.GetProperty("grantedBytes").GetInt64(), waiting + c.GetProperty("waitingBytes").GetInt64());
            }
        }

        // highest class first, as the throttle serves them
        return [.. sums.OrderBy(s => Rank(s.Key)).Select(s => new ThrottleClass(s.Key, s.Value.Granted, s.Value.Waiting))];
    }

    private static int Rank(string priority) => priority switch
    {
        "High" => 0,
        "Normal" => 1,
        "Low" => 2,
        _ => 3 + (int.TryParse(priority, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? -n : 0),
    };

    private static IEnumerable<JsonElement> Links(JsonElement state) =>
        state.ValueKind == JsonValueKind.Object && state.TryGetProperty("links", out var links) && links.ValueKind == JsonValueKind.Array
            ? links.EnumerateArray()
            : [];
}
