using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Unitization.Host.Security;

namespace Unitization.Host.Hosting;

/// <summary>Writes <c>/healthz</c> as JSON: overall status, the roles, and every check with its description (configured secrets masked).</summary>
internal static class HealthzResponse
{
    public static Task WriteAsync(HttpContext context, HealthReport report, IEnumerable<string> roles, SecretRedactor redactor)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            roles = roles.ToArray(),
            checks = report.Entries.ToDictionary(
                e => e.Key,
                e => new
                {
                    status = e.Value.Status.ToString(),
                    description = e.Value.Description is { } description ? redactor.Redact(description) : null,
                    data = e.Value.Data.ToDictionary(d => d.Key, d => d.Value is string or Uri or Exception ? redactor.Redact(d.Value.ToString()!) : d.Value),
                }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body), context.RequestAborted);
    }
}
