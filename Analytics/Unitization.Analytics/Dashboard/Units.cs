using System.Globalization;

namespace Unitization.Analytics.Dashboard;

/// <summary>Human-readable sizes and rates for chart axes (binary units).</summary>
internal static class Units
{
    private static readonly string[] Suffixes = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

    public static string Bytes(double bytes)
    {
        var i = 0;
        while (Math.Abs(bytes) >= 1024 && i < Suffixes.Length - 1)
        {
            bytes /= 1024;
            i++;
        }

        return bytes.ToString(bytes >= 100 || i == 0 ? "0" : "0.#", CultureInfo.InvariantCulture) + " " + Suffixes[i];
    }

    public static string Rate(double bytesPerSecond) => Bytes(bytesPerSecond) + "/s";

    public static string Seconds(double seconds) =>
        seconds >= 120 ? (seconds / 60).ToString("0.#", CultureInfo.InvariantCulture) + " min" : seconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";
}
