using System.ComponentModel.DataAnnotations;
using Unitization.Throttle.Budget;

namespace Unitization.Throttle.Configuration;

/// <summary>One link's budget: <c>{"From":"dcA","To":"dcB","BytesPerSecond":5000000000}</c>.</summary>
public sealed class LinkOptions
{
    [Required(AllowEmptyStrings = false)]
    public string From { get; set; } = string.Empty;

    [Required(AllowEmptyStrings = false)]
    public string To { get; set; } = string.Empty;

    [Range(ByteRate.MinBytesPerSecond, ByteRate.MaxBytesPerSecond, ErrorMessage = "BytesPerSecond must be from 1 to 1000000000000 bytes per second (1 B/s to 1 TB/s).")]
    public double BytesPerSecond { get; set; }

    /// <summary>Burst in bytes; default: 50 ms at the link's rate, at least 64 KiB.</summary>
    [Range(1d, 1e15)]
    public double? BurstBytes { get; set; }

    public LinkId Id => new(From, To);

    public double EffectiveBurst(double scale = 1) =>
        BurstBytes * scale ?? Math.Max(ThrottleDefaults.MinimumBurstBytes, BytesPerSecond * scale * ThrottleDefaults.BurstWindow.TotalSeconds);
}
