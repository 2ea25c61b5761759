using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Unitization.Analytics.Dashboard;

/// <summary>
/// The dashboard page, its script and style, and the uPlot charting library it draws with (vendored from npm by
/// <c>Dashboard/vendor-uplot.sh</c>), all embedded in the assembly: no CDN, nothing to install.
/// </summary>
internal static class DashboardAssets
{
    private const string Script = "text/javascript; charset=utf-8";
    private const string Style = "text/css; charset=utf-8";

    /// <summary>Each served file below <c>/analytics/</c> and its content type.</summary>
    internal static readonly (string Path, string ContentType)[] Files =
    [
        ("dashboard.js", Script),
        ("charts.js", Script),
        ("dashboard.css", Style),
        ("vendor/uplot/uPlot.iife.min.js", Script),
        ("vendor/uplot/uPlot.min.css", Style),
        ("vendor/uplot/LICENSE", "text/plain; charset=utf-8"),
    ];

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        // pages, not API: left out of the OpenAPI document. One route answers "/dashboard" and "/dashboard/" (routing
        // ignores a trailing slash; a second route for it made every request ambiguous, a 500)
        var pages = endpoints.MapGroup(string.Empty).ExcludeFromDescription();
        pages.MapGet("/analytics", () => Asset("index.html", "text/html; charset=utf-8"));
        pages.MapGet("/dashboard", () => TypedResults.Redirect("/analytics"));
        foreach (var (path, contentType) in Files)
        {
            pages.MapGet("/analytics/" + path, () => Asset(path, contentType));
        }
    }

    private static IResult Asset(string name, string contentType)
    {
        var stream = typeof(DashboardAssets).Assembly.GetManifestResourceStream("Unitization.Analytics.Dashboard." + name)
            ?? throw new InvalidOperationException($"The dashboard asset {name} is missing from the assembly.");
        return TypedResults.Stream(stream, contentType);
    }
}
