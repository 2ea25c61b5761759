using System.Text.Json.Serialization;

namespace Unitization.Throttle.Budget;

/// <summary>Priority classes of a link budget: a higher class is served first, every class keeps a floor.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TrafficPriority>))]
public enum TrafficPriority
{
    Low = 0,
    Normal = 1,
    High = 2,
}
