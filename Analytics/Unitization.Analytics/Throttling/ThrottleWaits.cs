using System.Text.Json;

namespace Unitization.Analytics.Throttling;

/// <summary>
/// Reads "waiting by priority class" out of the Throttle state JSON: every object that names a class (a
/// <c>priority</c>, <c>class</c> or <c>priorityClass</c> property) and has a numeric property whose name contains
/// <c>wait</c> adds that number to its class (<c>waitingBytes</c> preferred, as Throttle's <c>ClassState</c> has it); classes are
/// summed over links. Absent fields give an empty result, which the dashboard says plainly.
/// </summary>
internal static class ThrottleWaits
{
    private static readonly string[] ClassKeys = ["priority", "class", "priorityClass"];

    public static IReadOnlyList<(string Priority, double Waiting)> ByPriority(JsonElement state)
    {
        var sums = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        Walk(state, sums);
        return [.. sums.Select(kv => (kv.Key, kv.Value))];
    }

    private static void Walk(JsonElement element, Dictionary<string, double> sums)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                string? label = null;
                double? waiting = null;
                double? waitingBytes = null;
                foreach (var property in element.EnumerateObject())
                {
                    if (label is null && ClassKeys.Any(k => property.NameEquals(k) || string.Equals(property.Name, k, StringComparison.OrdinalIgnoreCase))
                        && property.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number)
                    {
                        label = property.Value.ToString();
                    }
                    else if (property.Name.Contains("wait", StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind == JsonValueKind.Number)
                    {
                        if (string.Equals(property.Name, "waitingBytes", StringComparison.OrdinalIgnoreCase))
                        {
                            waitingBytes = property.Value.GetDouble();
                        }
                        else
                        {
                            waiting ??= property.Value.GetDouble();
                        }
                    }
                    else
                    {
                        Walk(property.Value, sums);
                    }
                }

                if (label is not null && (waitingBytes ?? waiting) is { } w)
                {
                    sums[label] = sums.GetValueOrDefault(label) + w;
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item, sums);
                }

                break;
            default:
                break;
        }
    }
}
