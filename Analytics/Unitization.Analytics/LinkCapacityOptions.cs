using System.ComponentModel.DataAnnotations;

namespace Unitization.Analytics;

/// <summary>One directed datacenter link and its capacity (<c>Analytics:Links</c>).</summary>
public sealed class LinkCapacityOptions
{
    [Required(AllowEmptyStrings = false)]
    public string Source { get; set; } = string.Empty;

    [Required(AllowEmptyStrings = false)]
    public string Destination { get; set; } = string.Empty;

    [Range(1, long.MaxValue)]
    public long CapacityBytesPerSecond { get; set; }
}
