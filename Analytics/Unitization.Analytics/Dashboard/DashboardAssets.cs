using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Unitization.Analytics.Dashboard;

/// <summary>The dashboard page and its script and style, embedded in the assembly (no CDN, nothing to install).</summary>
internal static class DashboardAssets
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        // pages, not API: left out of the OpenAPI document. One route answers "/dashboard" and "/dashboard/" (routing
        // ignores a trailing slash; a second route for it made every request ambiguous, a 500)
        var pages = endpoints.MapGroup(string.Empty).ExcludeFromDescription();
        pages.MapGet("/analytics", () => Asset("index.html", "text/html; charset=utf-8"));
        pages.MapGet("/dashboard", () => TypedResults.Redirect("/analytics"));
        pages.MapGet("/analytics/dashboard.js", () => Asset("dashboard.js", "text/javascript; charset=utf-8"));
        pages.MapGet("/analytics/dashboard.css", () => Asset("dashboard.css", "text/css; charset=utf-8"));
    }

    private static IResult Asset(string name, string contentType)
    {
        var stream = typeof(DashboardAssets).Assembly.GetManifestResourceStream("Unitization.Analytics.Dashboard." + name)
            ?? throw new InvalidOperationException($"The dashboard asset {name} is missing from the assembly.");
        return TypedResults.Stream(stream, contentType);
    }
}
