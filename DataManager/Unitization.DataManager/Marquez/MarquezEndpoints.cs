using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Unitization.DataManager.Hosting;
using Unitization.DataManager.Store;

namespace Unitization.DataManager.Marquez;

/// <summary>
/// The read side of Marquez's API that lineage UIs call, over the lineage DataManager stores: namespaces, a
/// namespace's jobs and datasets (<c>limit</c>, <c>offset</c>), and the lineage graph around a node. Namespaces with
/// <c>/</c> and <c>:</c> (<c>spark://cluster</c>) are given percent-encoded in the path.
/// </summary>
internal static class MarquezEndpoints
{
    public const int MaxDepth = 100;

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/v1/namespaces", async (ILineageStore store, IOptions<DataManagerOptions> options, CancellationToken cancellationToken) =>
            TypedResults.Ok(new MarquezNamespaces((await LoadAsync(store, options, cancellationToken).ConfigureAwait(false)).Namespaces())));
        endpoints.MapGet("/api/v1/namespaces/{namespace}/jobs", GetJobsAsync);
        endpoints.MapGet("/api/v1/namespaces/{namespace}/datasets", GetDatasetsAsync);
        endpoints.MapGet("/api/v1/lineage", GetLineageAsync);
    }

    /// <summary>A path segment as the client meant it: Kestrel leaves <c>%2F</c> encoded in the path, so a namespace like <c>spark://cluster</c> arrives as <c>spark:%2F%2Fcluster</c>.</summary>
    public static string Unescape(string segment) => Uri.UnescapeDataString(segment);

    private static Task<Results<Ok<MarquezJobs>, ProblemHttpResult>> GetJobsAsync(
        string @namespace, string? limit, string? offset, ILineageStore store, IOptions<DataManagerOptions> options, CancellationToken cancellationToken) =>
        NamespacePageAsync(@namespace, limit, offset, store, options, (catalog, ns) => catalog.Jobs(ns), (jobs, total) => new MarquezJobs(jobs, total), cancellationToken);

    private static Task<Results<Ok<MarquezDatasets>, ProblemHttpResult>> GetDatasetsAsync(
        string @namespace, string? limit, string? offset, ILineageStore store, IOptions<DataManagerOptions> options, CancellationToken cancellationToken) =>
        NamespacePageAsync(@namespace, limit, offset, store, options, (catalog, ns) => catalog.Datasets(ns), (datasets, total) => new MarquezDatasets(datasets, total), cancellationToken);

    /// <summary>One page of a namespace's jobs or datasets, as Marquez pages them (<c>limit</c>, <c>offset</c>, total count); 404 for an unknown namespace.</summary>
    private static async Task<Results<Ok<TPage>, ProblemHttpResult>> NamespacePageAsync<TItem, TPage>(
        string @namespace, string? limit, string? offset, ILineageStore store, IOptions<DataManagerOptions> options,
        Func<MarquezCatalog, string, IReadOnlyList<TItem>> items, Func<IReadOnlyList<TItem>, int, TPage> pageOf, CancellationToken cancellationToken)
    {
        if (Page(limit, offset) is not { } page)
        {
            return PageProblem(limit, offset);
        }

        var catalog = await LoadAsync(store, options, cancellationToken).ConfigureAwait(false);
        var ns = Unescape(@namespace);
        if (!catalog.HasNamespace(ns))
        {
            return Problem(404, "No such namespace", $"Namespace '{ns}' has no job or dataset in the lineage.");
        }

        var all = items(catalog, ns);
        return TypedResults.Ok(pageOf([.. all.Skip(page.Offset).Take(page.Limit)], all.Count));
    }

    private static async Task<Results<Ok<MarquezLineage>, ProblemHttpResult>> GetLineageAsync(
        string? nodeId, string? depth, ILineageStore store, IOptions<DataManagerOptions> options, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(nodeId))
        {
            return Problem(400, "Missing nodeId", "Give nodeId=job:{namespace}:{name} or nodeId=dataset:{namespace}:{name}.");
        }

        var levels = 20;
        if (depth is not null && (!int.TryParse(depth, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out levels) || levels > MaxDepth))
        {
            return Problem(400, "Bad depth", $"depth must be a whole number from 0 to {MaxDepth}, got '{depth}'.");
        }

        if (!nodeId.StartsWith("job:", StringComparison.Ordinal) && !nodeId.StartsWith("dataset:", StringComparison.Ordinal))
        {
            return Problem(400, "Bad nodeId", $"nodeId '{nodeId}' must start with 'job:' or 'dataset:' (job:{{namespace}}:{{name}}).");
        }

        var catalog = await LoadAsync(store, options, cancellationToken).ConfigureAwait(false);
        return catalog.Find(nodeId) is { } node
            ? TypedResults.Ok(catalog.Graph(node, levels))
            : Problem(404, "No such node", $"No job or dataset '{nodeId}' in the lineage.");
    }

    private static async Task<MarquezCatalog> LoadAsync(ILineageStore store, IOptions<DataManagerOptions> options, CancellationToken cancellationToken) =>
        new(await store.LoadAsync(options.Value.WindowDays, cancellationToken).ConfigureAwait(false),
            await store.AnnouncedDatasetsAsync(cancellationToken).ConfigureAwait(false));

    private static (int Limit, int Offset)? Page(string? limit, string? offset)
    {
        var l = 100;
        var o = 0;
        return (limit is null || (int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out l) && l is >= 1 and <= 10_000))
            && (offset is null || int.TryParse(offset, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out o))
            ? (l, o)
            : null;
    }

    private static ProblemHttpResult PageProblem(string? limit, string? offset) =>
        Problem(400, "Bad paging", $"limit must be 1..10000 and offset a whole number >= 0 (got limit '{limit}', offset '{offset}').");

    private static ProblemHttpResult Problem(int status, string title, string detail) => TypedResults.Problem(detail: detail, statusCode: status, title: title);
}
