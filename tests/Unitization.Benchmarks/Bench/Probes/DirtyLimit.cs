using System.Globalization;

namespace Unitization.Benchmarks.Bench.Probes;

/// <summary>
/// Roughly how many bytes Linux lets writers leave dirty in the page cache before they must wait for the disk:
/// <c>vm.dirty_bytes</c> when set, else <c>vm.dirty_ratio</c> percent of the available memory. Below it a plain copy
/// finishes in memory; above it the copy runs at the disk's speed. Null where the figures are not readable.
/// </summary>
internal static class DirtyLimit
{
    public static long? Bytes()
    {
        try
        {
            if (!OperatingSystem.IsLinux())
            {
                return null;
            }

            var bytes = long.Parse(File.ReadAllText("/proc/sys/vm/dirty_bytes").Trim(), CultureInfo.InvariantCulture);
            if (bytes > 0)
            {
                return bytes;
            }

            var ratio = long.Parse(File.ReadAllText("/proc/sys/vm/dirty_ratio").Trim(), CultureInfo.InvariantCulture);
            var available = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemAvailable:", StringComparison.Ordinal));
            if (available is null)
            {
                return null;
            }

            var kb = long.Parse(available["MemAvailable:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            return kb * 1024 * ratio / 100;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or OverflowException)
        {
            return null;
        }
    }
}
