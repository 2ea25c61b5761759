using System.Security.Cryptography;
using System.Text;

namespace Unitization.Replication.Migration;

/// <summary>
/// What to migrate: <c>dcA:/warehouse/db/t</c> to <c>dcB</c>, with copy parallelism and an optional rate in bytes per
/// second. The id is derived from source, path and target, so running the same migration again resumes it.
/// </summary>
public sealed record MigrationSpec(string Source, string Path, string Target, int Parallel, long? BytesPerSecond)
{
    public string Id => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{Source}:{Path}->{Target}")))[..12];

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

    /// <summary>Parses a rate such as <c>200MB/s</c>, <c>1.5GiB/s</c> or <c>500000</c> (bytes per second).</summary>
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
            ("KiB", 1024d), ("MiB", 1024d * 1024), ("GiB", 1024d * 1024 * 1024),
            ("KB", 1e3), ("MB", 1e6), ("GB", 1e9), ("B", 1),
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

        if (!double.TryParse(t, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) || value <= 0)
        {
            throw new FormatException($"--rate '{text}' is not a rate; use e.g. 200MB/s, 1.5GiB/s or a number of bytes per second.");
        }

        return (long)(value * factor);
    }
}
