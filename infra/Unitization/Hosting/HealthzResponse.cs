using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Unitization.Host.Hosting;

/// <summary>Writes <c>/healthz</c> as JSON: overall status, the roles, and every check with its description.</summary>
internal static class HealthzResponse
{
    public static Task WriteAsync(HttpContext context, HealthReport report, IEnumerable<string> roles)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            roles = roles.ToArray(),
            checks = report.Entries.ToDictionary(
                e => e.Key,
                e => new { status = e.Value.Status.ToString(), description = e.Value.Description, data = e.Value.Data }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body), context.RequestAborted);
    }
}
