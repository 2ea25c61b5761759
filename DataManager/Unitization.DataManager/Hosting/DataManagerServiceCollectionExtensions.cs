using System.Diagnostics.Metrics;
using System.IO.Compression;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Quartz;
using Unitization.ApiClient.Failover;
using Unitization.DataManager.Apply;
using Unitization.DataManager.Lineage;
using Unitization.DataManager.Marquez;
using Unitization.DataManager.Plans;
using Unitization.DataManager.Readiness;
using Unitization.DataManager.Rules;
using Unitization.DataManager.Service;
using Unitization.DataManager.Store;
using Unitization.DataManager.Telemetry;
using Unitization.StateStore;
using Unitization.StateStore.Scheduling;

namespace Unitization.DataManager.Hosting;

/// <summary>Registers the <c>datamanager</c> role: its options (section <c>DataManager</c>), services and endpoints.</summary>
public static class DataManagerServiceCollectionExtensions
{
    public const string RoleName = "datamanager";

    /// <summary>The HTTP client that asks the routers for freshness (it carries the service credential).</summary>
    public const string RouterFreshnessHttpClientName = "datamanager-router-freshness";

    public static IServiceCollection AddDataManager(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(DataManagerOptions.SectionName);
        services.AddOptions<DataManagerOptions>()
            .Bind(section, o => o.ErrorOnUnknownConfiguration = true)
            .ReadUrlList(section, nameof(DataManagerOptions.RouterUrls), (o, urls) => o.RouterUrls = urls)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddStateMigration(DataManagerSchema.Initial);
        services.AddStateMigration(DataManagerSchema.RunsAndDatasets);
        services.AddStateMigration(DataManagerSchema.AppliedPlacement);
        services.TryAddSingleton<IAppliedPlacementStore, StateStoreAppliedPlacementStore>();
        services.TryAddSingleton(sp => new PlacementApplier(sp.GetRequiredService<PlanService>(), sp.GetRequiredService<IAppliedPlacementStore>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<PlacementApplier>>(), sp.GetService<IPlacementActuator>()));
        services.AddHostedService<PlacementAutoApply>();
        services.TryAddSingleton<ILineageStore, StateStoreLineageStore>();
        services.TryAddSingleton<IPlanStore, StateStorePlanStore>();
        services.TryAddSingleton<FreshnessSignal>();
        services.TryAddSingleton(sp => new DataManagerMetrics(sp.GetService<IMeterFactory>()));
        services.TryAddSingleton<PlanService>();
        services.TryAddSingleton<IReplicationRuleSource, PlanReplicationRuleSource>();
        services.AddHttpClient(RouterFreshnessHttpClientName);
        if (section.GetSection(nameof(DataManagerOptions.RouterUrls)) is var routers && (!string.IsNullOrWhiteSpace(routers.Value) || routers.GetChildren().Any()))
        {
            // a router role in this process replaces it with the router's own versions (registered later)
            services.TryAddSingleton<IDatasetFreshness>(sp =>
            {
                var options = sp.GetRequiredService<IOptions<DataManagerOptions>>().Value;
                return new RouterFreshnessClient(
                    sp.GetRequiredService<IHttpClientFactory>().CreateClient(RouterFreshnessHttpClientName), options.RouterUrls, options.RouterTimeout, sp.GetRequiredService<TimeProvider>());
            });
        }

        services.TryAddSingleton(sp => new JobPlacementQuery(sp.GetRequiredService<PlanService>(), sp.GetRequiredService<FreshnessSignal>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetService<IDatasetFreshness>()));
        services.TryAddSingleton(sp => new AdhocQuery(sp.GetRequiredService<PlanService>(), sp.GetService<IDatasetFreshness>()));

        var cron = section[nameof(DataManagerOptions.RefreshCron)] ?? new DataManagerOptions().RefreshCron;
        if (!CronExpression.TryParse(cron, out _))
        {
            cron = new DataManagerOptions().RefreshCron; // the options validation reports the bad value at start
        }

        services.AddQuartz(q =>
        {
            // clustered on PostgreSQL: the refresh fires once per cron tick across every DataManager of the fleet; a
            // refresh whose node dies while it runs runs again on another (it is idempotent)
            q.UseStateStore(configuration, RoleName);
            q.AddJob(typeof(RefreshPlanJob), j => j.WithIdentity(RefreshPlanJob.Key).StoreDurably().RequestRecovery());
            q.AddTrigger(t => t.ForJob(RefreshPlanJob.Key).WithIdentity("datamanager-refresh-cron", "datamanager").WithExecutionGroup(RoleName)
                .WithSchedule(CronScheduleBuilder.Create(cron)));
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = false);
        services.AddHostedService<PlanReloader>();
        services.AddHealthChecks().AddCheck(RoleName, () => HealthCheckResult.Healthy("role loaded"), tags: [RoleName]);
        return services;
    }

    public static IEndpointRouteBuilder MapDataManager(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var options = endpoints.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<DataManagerOptions>>().Value;
        endpoints.MapPost("/api/v1/lineage", PostLineageAsync).Accepts<JsonElement>("application/json") // a RunEvent or an array of them
            .WithMetadata(new RequestSizeLimitAttribute(options.MaxLineageBodyBytes));
        endpoints.MapGet("/api/v1/placement", GetPlanAsync);
        endpoints.MapPost("/api/v1/placement/refresh", PostRefreshAsync);
        endpoints.MapGet("/api/v1/placement/refresh", (PlanService plans) => TypedResults.Ok(plans.Status));
        endpoints.MapGet("/api/v1/placement/jobs/{namespace}/{**name}", GetJobAsync);
        endpoints.MapGet("/api/v1/placement/job", GetJobByQueryAsync);
        endpoints.MapPost("/api/v1/placement/adhoc", PostAdhocAsync).Accepts<AdhocRequest>("application/json");
        endpoints.MapPost("/api/v1/placement/moves", PostMovesAsync).Accepts<MoveEstimatesRequest>("application/json");
        endpoints.MapGet("/api/v1/replication/rules", async (IReplicationRuleSource rules, CancellationToken cancellationToken) =>
            TypedResults.Ok(await rules.GetRulesAsync(cancellationToken).ConfigureAwait(false)));
        PlacementApplyEndpoints.Map(endpoints);
        MarquezEndpoints.Map(endpoints);
        return endpoints;
    }

    private static async Task<Results<Created<LineageReadResult>, ProblemHttpResult>> PostLineageAsync(HttpRequest request, PlanService plans, CancellationToken cancellationToken)
    {
        var limit = plans.Options.MaxLineageBodyBytes;
        var encoding = request.Headers.ContentEncoding.ToString().Trim().ToLowerInvariant();
        if (encoding is not ("" or "identity" or "gzip" or "x-gzip"))
        {
            return Problem(415, "Unsupported Content-Encoding", $"Content-Encoding '{request.Headers.ContentEncoding}' is not supported: send the body as it is, or gzip it (Content-Encoding: gzip).");
        }

        JsonDocument document;
        await using (var gzip = encoding is "gzip" or "x-gzip" ? new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true) : null)
        await using (var limited = new BoundedReadStream(gzip ?? request.Body, limit))
        {
            try
            {
                document = await JsonDocument.ParseAsync(limited, default, cancellationToken).ConfigureAwait(false);
            }
            catch (BodyTooLargeException)
            {
                return Problem(413, "Body too large", $"The lineage body is more than {limit} bytes once decompressed (DataManager:MaxLineageBodyBytes): post fewer events at a time.");
            }
            catch (InvalidDataException ex)
            {
                return Problem(400, "Body is not gzip", $"Content-Encoding says gzip but the body is not: {ex.Message}");
            }
            catch (JsonException ex)
            {
                return Problem(400, "Body is not JSON", $"POST a RunEvent, JobEvent or DatasetEvent object, or a JSON array of them: {ex.Message}");
            }
        }

        using (document)
        {
            var root = document.RootElement;
            IReadOnlyList<JsonElement> events = root.ValueKind == JsonValueKind.Array ? [.. root.EnumerateArray()] : [root];
            if (events.Count == 0)
            {
                return Problem(400, "No events", "The array is empty: POST at least one RunEvent.");
            }

            var result = await plans.IngestAsync(events, cancellationToken).ConfigureAwait(false);
            if (result.Accepted == 0)
            {
                return Problem(400, "No valid RunEvent", string.Join("; ", result.Errors));
            }

            return TypedResults.Created("/api/v1/placement", result);
        }
    }

    private static async Task<Results<Ok<PlacementPlan>, ProblemHttpResult>> GetPlanAsync(PlanService plans, string? version, CancellationToken cancellationToken)
    {
        if (version is not null)
        {
            if (!long.TryParse(version, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v) || v < 1)
            {
                return Problem(400, "Bad version", $"version must be a whole number >= 1, got '{version}'.");
            }

            return await plans.GetPlanAsync(v, cancellationToken).ConfigureAwait(false) is { } old
                ? TypedResults.Ok(old)
                : Problem(404, "No such plan version", $"Plan version {v} does not exist.");
        }

        return await plans.CurrentAsync(cancellationToken).ConfigureAwait(false) is { } index
            ? TypedResults.Ok(index.Plan)
            : Problem(404, "No plan yet", "No placement plan has been computed: POST lineage to /api/v1/lineage, then POST /api/v1/placement/refresh.");
    }

    private static async Task<Results<Ok<RefreshStatus>, Accepted<RefreshStatus>, ProblemHttpResult>> PostRefreshAsync(PlanService plans, string? wait, CancellationToken cancellationToken)
    {
        var running = plans.StartRefresh();
        if (wait is not ("true" or "1"))
        {
            return TypedResults.Accepted("/api/v1/placement/refresh", plans.Status);
        }

        try
        {
            await running.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return Problem(500, "Refresh failed", ex.Message);
        }

        return TypedResults.Ok(plans.Status);
    }

    private static async Task<Results<Ok<JobPlacementAnswer>, ProblemHttpResult>> GetJobAsync(
        string @namespace, string name, string? waitSeconds, string[]? partition, PlanService plans, JobPlacementQuery query, CancellationToken cancellationToken)
    {
        if (PartitionProblem(partition) is { } problem)
        {
            return Problem(400, "Bad partition", problem);
        }

        var wait = TimeSpan.Zero;
        if (waitSeconds is not null)
        {
            if (!double.TryParse(waitSeconds, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
                || !(seconds >= 0) || seconds > plans.Options.MaxWaitSeconds)
            {
                return Problem(400, "Bad waitSeconds", $"waitSeconds must be a number from 0 to {plans.Options.MaxWaitSeconds}, got '{waitSeconds}'.");
            }

            wait = TimeSpan.FromSeconds(seconds);
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            return Problem(400, "Missing job name", "Use /api/v1/placement/jobs/{namespace}/{name}, or /api/v1/placement/job?namespace=...&name=....");
        }

        // Kestrel leaves %2F encoded in the path: spark%3A%2F%2Fcluster arrives as spark:%2F%2Fcluster
        var job = new JobRef(MarquezEndpoints.Unescape(@namespace), MarquezEndpoints.Unescape(name));
        return TypedResults.Ok(await query.AnswerAsync(job, wait, partition ?? [], cancellationToken).ConfigureAwait(false));
    }

    /// <summary>What is wrong with the <c>partition</c> values (<c>key=value</c>, levels joined by '/'), or null.</summary>
    internal static string? PartitionProblem(string[]? partitions)
    {
        if (partitions is null)
        {
            return null;
        }

        if (partitions.Length > 100)
        {
            return $"partition is given {partitions.Length} times; ask about at most 100 partitions at a time.";
        }

        for (var i = 0; i < partitions.Length; i++)
        {
            var levels = (partitions[i] ?? string.Empty).Trim('/').Split('/');
            if (levels.Any(l => l.IndexOf('=', StringComparison.Ordinal) is <= 0 || l.EndsWith('=') || l.Contains("..", StringComparison.Ordinal) || l.Any(char.IsControl)))
            {
                return $"partition[{i}] '{partitions[i]}' is not a partition spec: give key=value, levels joined by '/', e.g. dt=2026-12-05 or dt=2026-12-05/hr=01.";
            }
        }

        return null;
    }

    /// <summary>The same answer with the job in the query (<c>?namespace=spark://cluster&amp;name=etl.daily</c>): no path escaping to get wrong.</summary>
    private static Task<Results<Ok<JobPlacementAnswer>, ProblemHttpResult>> GetJobByQueryAsync(
        string? @namespace, string? name, string? waitSeconds, string[]? partition, PlanService plans, JobPlacementQuery query, CancellationToken cancellationToken) =>
        string.IsNullOrWhiteSpace(@namespace) || string.IsNullOrWhiteSpace(name)
            ? Task.FromResult<Results<Ok<JobPlacementAnswer>, ProblemHttpResult>>(Problem(400, "Missing job", "Give both query parameters: ?namespace=...&name=...."))
            : GetJobAsync(Uri.EscapeDataString(@namespace), Uri.EscapeDataString(name), waitSeconds, partition, plans, query, cancellationToken);

    /// <summary>What-if: for each job, its cross-datacenter bytes a day now and the change if it alone moved elsewhere.</summary>
    private static async Task<Results<Ok<MoveEstimatesAnswer>, ProblemHttpResult>> PostMovesAsync(MoveEstimatesRequest? body, PlanService plans, CancellationToken cancellationToken)
    {
        if (body?.Jobs is not { Count: > 0 } jobs || jobs.Any(string.IsNullOrWhiteSpace))
        {
            return Problem(400, "Invalid moves request", "'jobs' must list at least one job as \"namespace/name\" (blank names are not jobs).");
        }

        if (jobs.Count > 10_000)
        {
            return Problem(400, "Invalid moves request", $"'jobs' lists {jobs.Count} jobs; ask for at most 10000 at a time.");
        }

        if (await plans.CurrentAsync(cancellationToken).ConfigureAwait(false) is not { } index)
        {
            return Problem(404, "No plan yet", "No placement plan has been computed yet (POST /api/v1/lineage, then POST /api/v1/placement/refresh).");
        }

        var estimates = MoveEstimates.For(index, plans.Options);
        var known = new List<JobMoveEstimate>(jobs.Count);
        var unknown = new List<string>();
        foreach (var job in jobs.Distinct(StringComparer.Ordinal))
        {
            if (estimates.Estimate(job, body.RunsIn?.GetValueOrDefault(job)) is { } estimate)
            {
                known.Add(estimate);
            }
            else
            {
                unknown.Add(job);
            }
        }

        return TypedResults.Ok(new MoveEstimatesAnswer(estimates.PlanVersion, MoveEstimates.Model, known, unknown));
    }

    // bodies are bound by the framework (web JSON defaults, as PlacementPlan.Json): malformed JSON, a wrong type or a
    // null list entry is answered by the host's validation boundary with the field, before these run
    private static async Task<Results<Ok<AdhocAnswer>, ProblemHttpResult>> PostAdhocAsync(AdhocRequest? body, AdhocQuery query, CancellationToken cancellationToken)
    {
        if (body is null || ((body.Datasets?.Count ?? 0) + (body.Paths?.Count ?? 0)) == 0)
        {
            return Problem(400, "No inputs", "Give at least one of 'datasets' (namespace, name) or 'paths'.");
        }

        if (body.Datasets?.Any(d => d is null || string.IsNullOrWhiteSpace(d.Namespace) || string.IsNullOrWhiteSpace(d.Name)) == true)
        {
            return Problem(400, "Bad dataset", "Every entry of 'datasets' needs a non-empty 'namespace' and 'name'.");
        }

        return TypedResults.Ok(await query.AnswerAsync(body, cancellationToken).ConfigureAwait(false));
    }

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);
}
