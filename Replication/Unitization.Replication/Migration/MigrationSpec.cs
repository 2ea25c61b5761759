using System.Security.Cryptography;
using System.Text;
using Unitization.Throttle.Budget;

namespace Unitization.Replication.Migration;

/// <summary>
/// What to migrate: <c>dcA:/warehouse/db/t</c> to <c>dcB</c>, with copy parallelism, an optional cap in bytes per
/// second (a cap inside the link's budget, never beside it) and the priority it is paid at in the link's budget (Low
/// unless the operator names another). The id is derived from source, path and target, so running the same migration
/// again resumes it.
/// </summary>
public sealed record MigrationSpec(string Source, string Path, string Target, int Parallel, long? BytesPerSecond, TrafficPriority Priority = TrafficPriority.Low)
{
    /// <summary>The highest cap accepted: 1 TB/s, far above any link.</summary>
    public const long MaxBytesPerSecond = 1_000_000_000_000;

    public string Id => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{Source}:{Path}->{Target}")))[..12];

    /// <summary>Whether <paramref name="other"/> copies the same thing (a resumed run may change parallelism, cap and priority).</summary>
    public bool SameCopyAs(MigrationSpec other) =>
        other is not null && Source == other.Source && Path == other.Path && Target == other.Target;

    /// <summary>Parses <c>dcA:/warehouse/db/t</c>; the error says which part is wrong.</summary>
    public static (string Datacenter, string Path) ParseSource(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == text.Length - 1 || text[colon + 1] != '/')
        {
            throw new FormatException($"--source '{text}' must be DATACENTER:/absolute/path, e.g. dcA:/warehouse/sales.db/orders.");
        }

        return (text[..colon], text[(colon + 1)..]);
    }

    /// <summary>Parses a priority name (<c>Low</c>, <c>Normal</c>, <c>High</c>, any case).</summary>
    public static TrafficPriority ParsePriority(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!Enum.TryParse<TrafficPriority>(text.Trim(), ignoreCase: true, out var priority) || !Enum.IsDefined(priority) || int.TryParse(text, out _))
        {
            throw new FormatException($"--priority '{text}' is not one of Low, Normal, High.");
        }

        return priority;
    }

    /// <summary>Parses a rate such as <c>200MB/s</c>, <c>1.5GiB/s</c> or <c>500000</c> (bytes per second): 1 byte/s to 1 TB/s.</summary>
    public static long ParseRate(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim();
        if (t.EndsWith("/s", StringComparison.OrdinalIgnoreCase))
        {
            t = t[..^2];
        }

        var units = new (string Suffix, double Factor)[]
        {
            ("KiB", 1024d), ("MiB", 1024d * 1024), ("GiB", 1024d * 1024 * 1024), ("TiB", 1024d * 1024 * 1024 * 1024),
            ("KB", 1e3), ("MB", 1e6), ("GB", 1e9), ("TB", 1e12), ("B", 1),
        };
        var factor = 1d;
        foreach (var (suffix, f) in units)
        {
            if (t.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                factor = f;
                t = t[..^suffix.Length];
                break;
            }
        }

        if (!double.TryParse(t, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value <= 0)
        {
            throw new FormatException($"--rate '{text}' is not a rate; use e.g. 200MB/s, 1.5GiB/s or a number of bytes per second.");
        }

        var bytes = value * factor;
        if (bytes < 1 || bytes > MaxBytesPerSecond)
        {
            throw new FormatException($"--rate '{text}' is out of range: it must be at least 1 byte/s and at most 1TB/s.");
        }

        return (long)bytes;
    }
}
