using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Unitization.IntegrationTests.Http;

/// <summary>
/// Random and boundary inputs for one request: route values, query values, a JSON body shaped like the handler's body
/// type (with nulls, wrong types, huge and denormal numbers, zero and negative rates, over-long and control-character
/// strings), whole bodies that are not JSON or too large, and odd headers. Deterministic for a seed.
/// </summary>
internal sealed class FuzzInputs(Random random, int trapPort)
{
    /// <summary>Strings a field might get: plausible ones, then boundaries.</summary>
    private static readonly string[] Texts =
    [
        "dcA", "dcB", "dcA->dcB", "/warehouse/fuzz", "/tmp/fuzz", "dcA:/warehouse/fuzz", "fuzz-job", "airflow/sales.daily", "1h", "10", "true", "read", "Normal",
        "", " ", "-1", "0", "1e-7", "5e-324", "1e400", "NaN", "Infinity", "-Infinity", "2147483648", "9223372036854775808", "99999999d", "0m", "abc",
        "a\u0000b", "dcA:/x\u0000y", "x\u001fy", "\u007f", "tab\there", "line\nbreak", "/warehouse/../etc", "..", "%00", "😀", "\u202eevil", "\ud800",
        new string('e', 250), new string('e', 9000), string.Join('/', Enumerable.Repeat(new string('e', 250), 30)),
    ];

    private static readonly string[] Numbers =
    [
        "0", "-1", "1", "1.5", "1e-7", "5e-324", "-5e-324", "4.9e-324", "1e12", "1e13", "1e400", "-1e400", "1.7976931348623157e308", "2147483648", "-2147483649",
        "9223372036854775807", "9223372036854775808", "-9223372036854775809", "100", "0.0000001",
    ];

    private static readonly string[] WebHdfsOps = ["OPEN", "GETFILESTATUS", "LISTSTATUS", "GETCONTENTSUMMARY", "GETFILECHECKSUM", "MKDIRS", "CREATE", "RENAME", "DELETE", "APPEND", "open", "", "NOPE"];

    private static readonly string[] RawQueryNames = ["op", "offset", "length", "destination", "recursive", "data", "noredirect", "overwrite", "job", "path", "window", "limit"];

    public string Text() => Texts[random.Next(Texts.Length)];

    public string Number() => Numbers[random.Next(Numbers.Length)];

    /// <summary>The request path for a route pattern, each parameter filled (escaped, so a control character travels as %XX).</summary>
    public string Path(RoutePattern pattern)
    {
        var builder = new StringBuilder();
        foreach (var segment in pattern.PathSegments)
        {
            builder.Append('/');
            foreach (var part in segment.Parts)
            {
                switch (part)
                {
                    case RoutePatternLiteralPart literal:
                        builder.Append(literal.Content);
                        break;
                    case RoutePatternSeparatorPart separator:
                        builder.Append(separator.Content);
                        break;
                    case RoutePatternParameterPart parameter:
                        var value = random.Next(3) == 0 ? Text() : Plausible(parameter.Name);
                        builder.Append(parameter.IsCatchAll ? string.Join('/', value.Split('/').Select(Uri.EscapeDataString)) : Uri.EscapeDataString(value));
                        break;
                }
            }
        }

        return builder.Length == 0 ? "/" : builder.ToString();
    }

    /// <summary>A query string for the handler's parameters (or the gateway's, for a raw endpoint); some left out.</summary>
    public string Query(FuzzTarget target)
    {
        var pairs = new List<string>();
        if (target.IsMinimalApi)
        {
            foreach (var (name, type) in target.Query)
            {
                if (random.Next(4) == 0)
                {
                    continue;
                }

                var t = Nullable.GetUnderlyingType(type) ?? type;
                var value = t == typeof(string) ? (random.Next(2) == 0 ? Plausible(name) : Text()) : random.Next(3) == 0 ? Text() : Number();
                pairs.Add(name + "=" + Uri.EscapeDataString(value));
            }
        }
        else
        {
            pairs.Add("op=" + Uri.EscapeDataString(WebHdfsOps[random.Next(WebHdfsOps.Length)]));
            foreach (var name in RawQueryNames.Where(_ => random.Next(4) == 0))
            {
                pairs.Add(name + "=" + Uri.EscapeDataString(random.Next(2) == 0 ? Number() : Text()));
            }
        }

        return pairs.Count == 0 ? string.Empty : "?" + string.Join('&', pairs);
    }

    /// <summary>A body: mostly JSON shaped like <paramref name="type"/> with odd values; sometimes not JSON at all, or too large.</summary>
    public byte[]? Body(Type? type, string method)
    {
        var roll = random.Next(20);
        if (method is "GET" or "DELETE" && roll < 17)
        {
            return null;
        }

        return roll switch
        {
            0 => [],
            1 => "null"u8.ToArray(),
            2 => Encoding.UTF8.GetBytes(Pick("[]", "{", "\"text\"", "{\"a\":", "[null]", "{}", "42", "tru", "{\"a\":1,\"a\":2}")),
            3 => Encoding.UTF8.GetBytes(new string('[', 5000) + new string(']', 5000)),
            4 => [0xC3, 0x28, 0xFF, 0xFE, (byte)'{', 0x00],
            5 => Oversized(),
            _ => Encoding.UTF8.GetBytes(type is null ? Value(typeof(Dictionary<string, string>), 0) : Value(type, 0)),
        };
    }

    /// <summary>Headers to set: odd Host values (one of them the trap listener's port), job ids, forwarded-for and content types.</summary>
    public IEnumerable<(string Name, string Value)> Headers()
    {
        if (random.Next(6) == 0)
        {
            yield return ("Host", Pick($"127.0.0.1:{trapPort}", $"[::1]:{trapPort}", $"localhost:{trapPort}", "evil.example", "evil.example:80", "a..b", "127.0.0.1:99999", "x y", ""));
        }

        if (random.Next(6) == 0)
        {
            yield return ("X-Job-Id", Pick("capped-job", "fuzz-job", new string('j', 5000), "a b", "\u00e9t\u00e9"));
        }

        if (random.Next(8) == 0)
        {
            yield return ("X-Forwarded-For", Pick("10.2.0.7", "not-an-ip", "1.2.3.4, 999.1.1.1", "::ffff:10.2.0.7", string.Join(',', Enumerable.Repeat("10.0.0.1", 500))));
        }
    }

    public string ContentType() => random.Next(10) switch
    {
        0 => "text/plain",
        1 => "application/x-www-form-urlencoded",
        _ => "application/json",
    };

    /// <summary>JSON text for a value of <paramref name="type"/>: typed but at its boundaries, or of another type altogether.</summary>
    private string Value(Type type, int depth)
    {
        if (depth > 4 || random.Next(8) == 0)
        {
            return Wild();
        }

        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t == typeof(string))
        {
            return JsonSerializer.Serialize(Text());
        }

        if (t == typeof(bool))
        {
            return random.Next(2) == 0 ? "true" : "false";
        }

        if (t.IsEnum)
        {
            return Pick(JsonSerializer.Serialize(Enum.GetNames(t)[random.Next(Enum.GetNames(t).Length)]), "99", "-1", "\"NoSuchValue\"");
        }

        if (t.IsPrimitive || t == typeof(decimal))
        {
            return Number();
        }

        if (t == typeof(TimeSpan) || t == typeof(DateTimeOffset))
        {
            return JsonSerializer.Serialize(Pick("00:00:01", "-00:00:01", "10675199.02:48:05.4775807", "99999999.00:00:00", "2026-12-06T00:00:00Z", "abc"));
        }

        if (t == typeof(JsonElement))
        {
            return Wild();
        }

        if ((Element(t, typeof(IDictionary<,>), 1) ?? Element(t, typeof(IReadOnlyDictionary<,>), 1)) is { } valueType)
        {
            var entries = Enumerable.Range(0, random.Next(3)).Select(_ => $"{JsonSerializer.Serialize(random.Next(2) == 0 ? Plausible("job") : Text())}:{Value(valueType, depth + 1)}");
            return "{" + string.Join(',', entries) + "}";
        }

        if (t != typeof(string) && Element(t, typeof(IEnumerable<>), 0) is { } elementType)
        {
            var count = random.Next(5) == 0 ? 300 : random.Next(4);
            var items = Enumerable.Range(0, count).Select(_ => random.Next(6) == 0 ? "null" : Value(elementType, depth + 1));
            return "[" + string.Join(',', items) + "]";
        }

        var properties = t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0).ToArray();
        var fields = properties.Where(_ => random.Next(5) != 0)
            .Select(p => $"{JsonSerializer.Serialize(JsonNamingPolicy.CamelCase.ConvertName(p.Name))}:{Value(p.PropertyType, depth + 1)}");
        return "{" + string.Join(',', fields) + "}";
    }

    /// <summary>Any JSON value, of any type.</summary>
    private string Wild() => random.Next(9) switch
    {
        0 => "null",
        1 => Number(),
        2 => JsonSerializer.Serialize(Text()),
        3 => "[]",
        4 => "{}",
        5 => "[null]",
        6 => "true",
        7 => "[" + Number() + "," + JsonSerializer.Serialize(Text()) + "]",
        _ => "{\"\\u0000\":" + Number() + "}",
    };

    private byte[] Oversized()
    {
        // a little over the default limit (1 MiB), as valid JSON, so only its size is wrong
        var padding = new string('x', (1 << 20) + random.Next(1, 4096));
        return Encoding.UTF8.GetBytes("{\"padding\":\"" + padding + "\"}");
    }

    /// <summary>A plausible value for a parameter by its name, so the fuzz gets past the first check now and then.</summary>
    private string Plausible(string name) => name.ToLowerInvariant() switch
    {
        "from" => "dcA",
        "to" => "dcB",
        "datacenter" => Pick("dcA", "dcB"),
        "path" or "prefix" => Pick("/warehouse/fuzz", "/tmp/fuzz", "/", "warehouse/fuzz"),
        "window" => Pick("1h", "15m", "7d", "99999999d", "0h", "32d"),
        "limit" => Pick("10", "0", "1001", "-5"),
        "namespace" => "airflow",
        "clientip" => Pick("10.2.0.7", "::1", "999.0.0.1"),
        "intent" => Pick("read", "write", "delete"),
        "state" => Pick("active", "retired", "bogus"),
        "waitseconds" => Pick("0", "1", "-1", "1e9", "abc"),
        _ => Pick("fuzz-job", "capped-job", "dcA", "1"),
    };

    private string Pick(params string[] choices) => choices[random.Next(choices.Length)];

    private static Type? Element(Type type, Type generic, int argument)
    {
        var match = type.IsGenericType && type.GetGenericTypeDefinition() == generic ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == generic);
        if (match is null)
        {
            return type.IsArray ? type.GetElementType() : typeof(IEnumerable).IsAssignableFrom(type) && argument == 0 && type != typeof(string) ? typeof(object) : null;
        }

        return match.GetGenericArguments()[argument];
    }
}
