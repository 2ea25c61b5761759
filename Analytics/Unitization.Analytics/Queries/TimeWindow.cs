using System.Globalization;

namespace Unitization.Analytics.Queries;

/// <summary>A query window written as a count and a unit: <c>15m</c>, <c>1h</c>, <c>24h</c>, <c>7d</c> (at most 31 days).</summary>
internal static class TimeWindow
{
    public static readonly string[] Choices = ["15m", "1h", "6h", "24h", "7d"];

    private static readonly TimeSpan Longest = TimeSpan.FromDays(31);

    public static bool TryParse(string? text, out TimeSpan window, out string? error)
    {
        window = default;
        error = null;
        if (string.IsNullOrWhiteSpace(text) || text.Length < 2
            || !int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count <= 0)
        {
            error = $"window '{text}' is not a duration like 15m, 1h, 24h or 7d";
            return false;
        }

        long minutes = text[^1] switch
        {
            'm' => 1,
            'h' => 60,
            'd' => 24 * 60,
            _ => 0,
        };
        if (minutes == 0)
        {
            error = $"window '{text}' has unit '{text[^1]}'; use m (minutes), h (hours) or d (days)";
            return false;
        }

        // compared before any TimeSpan is made: 99999999d is out of a TimeSpan's range, not just over the limit
        if (count * minutes > Longest.TotalMinutes)
        {
            error = $"window '{text}' is longer than 31 days";
            return false;
        }

        window = TimeSpan.FromMinutes(count * minutes);
        return true;
    }
}
