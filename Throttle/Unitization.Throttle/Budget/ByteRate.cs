using System.Globalization;

namespace Unitization.Throttle.Budget;

/// <summary>
/// The range every rate in bytes per second must lie in wherever it enters (the HTTP API, configuration, the CLI):
/// at least 1 byte/s, at most 1 TB/s (10^12 bytes/s, eight times a 1 Tbit/s link). Inside the range the bucket
/// arithmetic is exact and its timers are in range; outside it a value is refused with the field it came in.
/// </summary>
public static class ByteRate
{
    public const double MinBytesPerSecond = 1;

    public const double MaxBytesPerSecond = 1e12;

    public static bool IsValid(double bytesPerSecond) => bytesPerSecond is >= MinBytesPerSecond and <= MaxBytesPerSecond;

    /// <summary>Null when <paramref name="bytesPerSecond"/> is valid, else what is wrong (for "field: ..." messages).</summary>
    public static string? Check(double bytesPerSecond) => IsValid(bytesPerSecond)
        ? null
        : string.Create(CultureInfo.InvariantCulture, $"must be from 1 to 1000000000000 bytes per second (1 B/s to 1 TB/s), got {bytesPerSecond:R}");
}
