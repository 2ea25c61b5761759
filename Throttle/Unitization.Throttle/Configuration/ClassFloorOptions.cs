using System.ComponentModel.DataAnnotations;
using Unitization.Throttle.Budget;

namespace Unitization.Throttle.Configuration;

/// <summary>
/// The guaranteed floor of each priority class, as a fraction of the link's rate (their sum at most 1). A higher
/// class is served first, but a class holding floor tokens is served before any class that is borrowing.
/// </summary>
public sealed class ClassFloorOptions
{
    [Range(0d, 1d)]
    public double High { get; set; } = 0.3;

    [Range(0d, 1d)]
    public double Normal { get; set; } = 0.2;

    [Range(0d, 1d)]
    public double Low { get; set; } = 0.1;

    public IReadOnlyDictionary<TrafficPriority, double> ToDictionary() => new Dictionary<TrafficPriority, double>
    {
        [TrafficPriority.High] = High,
        [TrafficPriority.Normal] = Normal,
        [TrafficPriority.Low] = Low,
    };
}
