using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Unitization.Host.Http;

/// <summary>
/// Turns what ASP.NET Core throws for a request it cannot bind (<see cref="BadHttpRequestException"/>: malformed or
/// wrong-typed JSON, a query value that is not a number, a missing body, a body over the limit) and any
/// <see cref="JsonException"/> an endpoint lets out into a 4xx problem naming the field (the JSON path) and what is
/// wrong, instead of a bare <c>{"title":"Bad Request"}</c> or a 500.
/// </summary>
internal sealed partial class BadRequestExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (httpContext.Response.HasStarted || Describe(exception, httpContext) is not { } problem)
        {
            return false;
        }

        await RequestProblems.WriteAsync(httpContext, problem.Status, problem.Field, problem.Message, exception).ConfigureAwait(false);
        return true;
    }

    /// <summary>The status, field and message for a request failure; null for anything that is not the request's fault.</summary>
    internal static (int Status, string Field, string Message)? Describe(Exception exception, HttpContext context)
    {
        switch (exception)
        {
            case BadHttpRequestException { InnerException: JsonException json }:
                return (StatusCodes.Status400BadRequest, FieldOf(json.Path), JsonMessage(json));
            case JsonException json:
                return (StatusCodes.Status400BadRequest, FieldOf(json.Path), JsonMessage(json));
            case BadHttpRequestException bad:
                return BadRequest(bad, context);
            default:
                return null;
        }
    }

    private static (int Status, string Field, string Message) BadRequest(BadHttpRequestException bad, HttpContext context)
    {
        var message = bad.Message;
        if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (bad.StatusCode, "body", $"larger than this endpoint takes ({RequestProblems.LimitOf(context)})");
        }

        if (bad.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            return (bad.StatusCode, "Content-Type", $"'{context.Request.ContentType}' is not JSON; send the body as application/json");
        }

        if (BindFailure().Match(message) is { Success: true } bind)
        {
            return (StatusCodes.Status400BadRequest, bind.Groups["name"].Value, $"'{bind.Groups["value"].Value}' is not {Expected(bind.Groups["type"].Value)}");
        }

        if (RequiredMissing().Match(message) is { Success: true } required)
        {
            return (StatusCodes.Status400BadRequest, required.Groups["name"].Value, $"required ({required.Groups["source"].Value})");
        }

        if (NoBody().Match(message) is { Success: true })
        {
            return (StatusCodes.Status400BadRequest, "body", "required: this endpoint takes a JSON body");
        }

        var status = bad.StatusCode is >= 400 and < 500 ? bad.StatusCode : StatusCodes.Status400BadRequest;
        return (status, "request", message);
    }

    /// <summary><c>$.requests[0].path</c> → <c>requests[0].path</c>; the root is "body".</summary>
    internal static string FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "body";
        }

        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.StartsWith('$') ? path[1..] : path;
    }

    private static string JsonMessage(JsonException json)
    {
        var text = json.Message;
        var cut = text.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut >= 0)
        {
            text = text[..cut];
        }

        if (Unconvertible().Match(text) is { Success: true } convert)
        {
            // the message names the enclosing type; the inner exception says what the value itself is not
            text = json.InnerException is { Message.Length: > 0 } inner
                ? inner.Message.Replace("Either the JSON value", "the JSON value", StringComparison.Ordinal)
                : $"expected {Expected(convert.Groups["type"].Value)}";
        }

        var where = json.LineNumber is { } line ? string.Create(CultureInfo.InvariantCulture, $" (line {line + 1}, byte {json.BytePositionInLine})") : string.Empty;
        return text.TrimEnd('.') + where;
    }

    /// <summary>A type as a person expects a value: "System.Double" → "a number".</summary>
    internal static string Expected(string type)
    {
        var t = type.Replace("System.", string.Empty, StringComparison.Ordinal);
        if (t.StartsWith("Nullable<", StringComparison.Ordinal) && t.EndsWith('>'))
        {
            t = t[9..^1];
        }

        return t switch
        {
            "Double" or "double" or "Single" or "float" or "Decimal" or "decimal" => "a number",
            "Int32" or "int" => "a whole number from -2147483648 to 2147483647",
            "Int64" or "long" => "a whole number from -9223372036854775808 to 9223372036854775807",
            "String" or "string" => "a string",
            "Boolean" or "bool" => "true or false",
            "TimeSpan" => "a duration such as 00:05:00",
            "DateTimeOffset" or "DateTime" => "a date and time (ISO 8601)",
            _ when t.Contains("List", StringComparison.Ordinal) || t.EndsWith("[]", StringComparison.Ordinal) || t.Contains("Enumerable", StringComparison.Ordinal) => "an array",
            _ when t.Contains("Dictionary", StringComparison.Ordinal) => "an object",
            _ => $"a JSON object ({t[(t.LastIndexOf('.') + 1)..]})",
        };
    }

    [GeneratedRegex("^Failed to bind parameter \"(?<type>.+) (?<name>[^ \"]+)\" from \"(?<value>.*)\"\\.?$", RegexOptions.Singleline)]
    private static partial Regex BindFailure();

    [GeneratedRegex("^Required parameter \"(?<type>.+) (?<name>[^ \"]+)\" was not provided from (?<source>[^.]+)\\.?", RegexOptions.Singleline)]
    private static partial Regex RequiredMissing();

    [GeneratedRegex("^Implicit body inferred for parameter", RegexOptions.Singleline)]
    private static partial Regex NoBody();

    [GeneratedRegex("^The JSON value could not be converted to (?<type>[^ ]+?)\\.?$", RegexOptions.Singleline)]
    private static partial Regex Unconvertible();
}
