using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Unitization.Host.Http;

/// <summary>
/// Checks a value bound from a request (a route or query string, or a JSON body's object graph) before an endpoint
/// sees it: no string holds a control character (U+0000-U+001F, U+007F-U+009F) or exceeds the longest string a
/// request may carry, and no array holds a null. Returns the first fault with its field path
/// (<c>requests[0]</c>, <c>destinations[1]</c>), or null.
/// </summary>
internal static class RequestValueCheck
{
    private const int MaxDepth = 32;
    private static readonly ConcurrentDictionary<Type, PropertyInfo[]?> Shapes = new();

    public static (string Field, string Message)? Find(object? value, string field, int maxStringLength) =>
        Walk(value, field, maxStringLength, 0);

    /// <summary>What is wrong with one string, or null.</summary>
    public static string? TextError(ReadOnlySpan<char> text, int maxStringLength)
    {
        if (text.Length > maxStringLength)
        {
            return string.Create(CultureInfo.InvariantCulture, $"is {text.Length} characters long; at most {maxStringLength} are allowed");
        }

        var at = text.IndexOfAnyInRange('\u0000', '\u001f');
        var high = text.IndexOfAnyInRange('\u007f', '\u009f');
        if (at < 0 || (high >= 0 && high < at))
        {
            at = high;
        }

        return at < 0
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"contains the control character U+{(int)text[at]:X4} at index {at}; control characters are not allowed");
    }

    private static (string Field, string Message)? Walk(object? value, string field, int maxStringLength, int depth)
    {
        if (value is null || depth > MaxDepth)
        {
            return null;
        }

        switch (value)
        {
            case string text:
                return TextError(text, maxStringLength) is { } error ? (Name(field), error) : null;
            case double number when !double.IsFinite(number):
                return (Name(field), "must be a finite number");
            case float number when !float.IsFinite(number):
                return (Name(field), "must be a finite number");
            case JsonElement element:
                return WalkJson(element, field, maxStringLength, depth);
            case IDictionary dictionary:
                foreach (DictionaryEntry entry in dictionary)
                {
                    var key = Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty;
                    if (TextError(key, maxStringLength) is { } keyError)
                    {
                        return (Name(field), $"key '{Printable(key)}' {keyError}");
                    }

                    if (Walk(entry.Value, Member(field, key), maxStringLength, depth + 1) is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case IEnumerable items:
                var i = 0;
                foreach (var item in items)
                {
                    var at = string.Create(CultureInfo.InvariantCulture, $"{field}[{i}]");
                    if (item is null)
                    {
                        return (Name(at), "null is not allowed in a list");
                    }

                    if (Walk(item, at, maxStringLength, depth + 1) is { } inner)
                    {
                        return inner;
                    }

                    i++;
                }

                return null;
        }

        var properties = Shapes.GetOrAdd(value.GetType(), ShapeOf);
        if (properties is null)
        {
            return null;
        }

        foreach (var property in properties)
        {
            if (Walk(property.GetValue(value), Member(field, JsonName(property)), maxStringLength, depth + 1) is { } inner)
            {
                return inner;
            }
        }

        return null;
    }

    private static (string Field, string Message)? WalkJson(JsonElement element, string field, int maxStringLength, int depth)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return TextError(element.GetString(), maxStringLength) is { } error ? (Name(field), error) : null;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (depth < MaxDepth && WalkJson(item, string.Create(CultureInfo.InvariantCulture, $"{field}[{i}]"), maxStringLength, depth + 1) is { } inner)
                    {
                        return inner;
                    }

                    i++;
                }

                return null;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (TextError(property.Name, maxStringLength) is { } keyError)
                    {
                        return (Name(field), $"key '{Printable(property.Name)}' {keyError}");
                    }

                    if (depth < MaxDepth && WalkJson(property.Value, Member(field, property.Name), maxStringLength, depth + 1) is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    /// <summary>The readable properties of a request model (a type of this project); null for every other type.</summary>
    private static PropertyInfo[]? ShapeOf(Type type)
    {
        if (type.IsPrimitive || type.IsEnum || type.Namespace?.StartsWith("Unitization", StringComparison.Ordinal) != true)
        {
            return null;
        }

        return [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && p.GetMethod!.IsPublic && p.GetCustomAttribute<JsonIgnoreAttribute>() is null)];
    }

    private static string JsonName(PropertyInfo property) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);

    private static string Member(string field, string name) => field.Length == 0 ? name : field + "." + name;

    private static string Name(string field) => field.Length == 0 ? "body" : field;

    private static string Printable(string text)
    {
        var shown = text.Length > 40 ? text[..40] + "..." : text;
        return string.Concat(shown.Select(c => char.IsControl(c) ? string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}") : c.ToString()));
    }
}
