using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Unitization.IntegrationTests.Hosting;

/// <summary>
/// docs/api.md from the OpenAPI document of a host with every role: one table per role (the operations' tag) with each
/// endpoint's method, path, parameters, request body and responses.
/// </summary>
internal static class ApiReference
{
    public const string UpdateVariable = "UNITIZATION_UPDATE_DOCS";

    public static readonly string[] RoleOrder = ["datamanager", "replicator", "router", "throttle", "analytics", "security"];

    public static string Markdown(JsonElement document)
    {
        var text = new StringBuilder();
        text.AppendLine("# HTTP API");
        text.AppendLine();
        text.AppendLine("Every role of `unitization serve` answers these besides its own endpoints:");
        text.AppendLine();
        text.AppendLine("| endpoint | what |");
        text.AppendLine("|---|---|");
        text.AppendLine("| `GET /healthz` | the roles of the process and each role's health check |");
        text.AppendLine("| `GET /openapi/v1.json` | the OpenAPI 3.1 document of the roles the process serves: every request and response shape |");
        text.AppendLine("| `GET /metrics` | Prometheus text: the components' meters (see [operations.md](operations.md)) |");
        text.AppendLine();
        text.AppendLine("Errors are RFC 7807 problem details (`application/problem+json`) naming the field or the thing that is wrong:");
        text.AppendLine("`4XX` below marks an endpoint that refuses bad input that way, `500` is any unexpected failure. Schema names are");
        text.AppendLine("the ones of the OpenAPI document's `components.schemas`.");
        text.AppendLine();
        text.AppendLine("Every endpoint but `/healthz` needs a credential: `Authorization: Bearer TOKEN` (an API token or a JWT) or");
        text.AppendLine("`Authorization: Negotiate` (Kerberos). The **role** column is the least role that may call it (roles hold the ones");
        text.AppendLine("below them: reader < scheduler < operator < admin; `service` is the roles' own principals); no credential answers");
        text.AppendLine("401, too small a role 403 (see [security.md](security.md)); a path no endpoint of the process serves (another");
        text.AppendLine("role's, asked of a fleet's process without that role) 404, a method the path is not served for 405 with `Allow`.");
        text.AppendLine();
        text.AppendLine("This page is generated from the document (`OperationsEndpointsTests` in `tests/Unitization.IntegrationTests` fails when");
        text.AppendLine($"they differ; `{UpdateVariable}=1` with that test rewrites it).");
        var operations = Operations(document).ToList();
        foreach (var role in RoleOrder)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"## {role}");
            text.AppendLine();
            if (role == "router")
            {
                text.AppendLine("Besides these, the router serves the WebHDFS gateway at `/webhdfs/v1/{path}?op=...`: reads (OPEN, GETFILESTATUS,");
                text.AppendLine("LISTSTATUS, GETCONTENTSUMMARY, GETFILECHECKSUM) from the nearest fresh copy, MKDIRS, CREATE, RENAME and DELETE on the");
                text.AppendLine("primary (reads need reader, writes operator or service); each answer carries `X-Unitization-Datacenter` and `X-Unitization-Reason` ([Router README](../Router/README.md)).");
                text.AppendLine();
            }

            text.AppendLine("| method | path | role | parameters | request body | responses |");
            text.AppendLine("|---|---|---|---|---|---|");
            foreach (var op in operations.Where(o => o.Role == role))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"| {op.Method} | `{op.Path}` | {op.Access} | {op.Parameters} | {op.Body} | {op.Responses} |");
            }
        }

        return text.ToString();
    }

    private static IEnumerable<(string Role, string Method, string Path, string Access, string Parameters, string Body, string Responses)> Operations(JsonElement document)
    {
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var op in path.Value.EnumerateObject())
            {
                var role = op.Value.TryGetProperty("tags", out var tags) && tags.GetArrayLength() > 0 ? tags[0].GetString()! : "(untagged)";
                var parameters = op.Value.TryGetProperty("parameters", out var ps)
                    ? string.Join(", ", ps.EnumerateArray().Select(p => $"`{p.GetProperty("name").GetString()}` ({p.GetProperty("in").GetString()}{(p.TryGetProperty("required", out var r) && r.GetBoolean() ? ", required" : string.Empty)})"))
                    : string.Empty;
                var body = op.Value.TryGetProperty("requestBody", out var rb) ? Content(rb) : string.Empty;
                var responses = string.Join("; ", op.Value.GetProperty("responses").EnumerateObject()
                    .OrderBy(r => r.Name, StringComparer.Ordinal)
                    .Select(r => r.Value.TryGetProperty("content", out _) ? $"{r.Name} {Content(r.Value)}" : r.Name));
                var access = op.Value.TryGetProperty("x-unitization-role", out var a) ? a.GetString()! : "anyone";
                yield return (role, op.Name.ToUpperInvariant(), path.Name, access, parameters, body, responses);
            }
        }
    }

    private static string Content(JsonElement holder)
    {
        if (!holder.TryGetProperty("content", out var content))
        {
            return string.Empty;
        }

        var first = content.EnumerateObject().First();
        var schema = first.Value.TryGetProperty("schema", out var s) ? SchemaName(s) : "?";
        return first.Name == "application/problem+json" ? $"problem ({schema})" : schema;
    }

    private static string SchemaName(JsonElement schema)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!.Split('/')[^1];
            return name.StartsWith("AnonymousType", StringComparison.Ordinal) ? "object" : $"`{name}`";
        }

        if (schema.TryGetProperty("oneOf", out var oneOf))
        {
            return string.Join(" or ", oneOf.EnumerateArray().Where(o => !(o.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == "null")).Select(SchemaName));
        }

        if (schema.TryGetProperty("items", out var items))
        {
            return "array of " + SchemaName(items);
        }

        return schema.TryGetProperty("type", out var type) ? type.ToString() : "any JSON";
    }
}
