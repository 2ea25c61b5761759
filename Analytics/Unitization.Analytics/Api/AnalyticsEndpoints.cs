using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Unitization.Analytics.Dashboard;
using Unitization.Analytics.Hosting;
using Unitization.Analytics.Ingest;
using Unitization.Analytics.Queries;
using Unitization.Analytics.Storage;
using Unitization.Analytics.Throttling;
using Unitization.Analytics.Traffic;

namespace Unitization.Analytics.Api;

/// <summary>The Analytics HTTP API (<c>/api/v1/traffic/...</c>) and the dashboard page (<c>/analytics</c>).</summary>
internal static class AnalyticsEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1/traffic");
        api.MapGet("/top", TopAsync);
        api.MapGet("/links", LinksAsync);
        api.MapGet("/replication-lag", LagAsync);
        api.MapGet("/suggestions", SuggestionsAsync);
        api.MapGet("/throttle", ThrottleAsync);
        api.MapGet("/ingest", (IngestStatus status) => TypedResults.Ok(Ingest(status)));
        api.MapGet("/caps", ListCapsAsync).Produces<JsonElement>().ProducesProblem(StatusCodes.Status502BadGateway); // the throttle's answer, relayed
        api.MapPut("/caps/{job}", SetCapAsync).Produces<JsonElement>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status502BadGateway);
        api.MapDelete("/caps/{job}", LiftCapAsync).Produces<JsonElement>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status502BadGateway);
        api.MapGet("/dashboard", DashboardAsync);
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<AnalyticsOptions>>().Value;
        api.MapPost("/records", PublishAsync).Accepts<TrafficRecord[]>("application/json").WithMetadata(new RequestSizeLimitAttribute(options.MaxRecordsBodyBytes));
        DashboardAssets.Map(endpoints);
    }

    private static async Task<Results<Ok<TopJobsReport>, ProblemHttpResult>> TopAsync(
        TrafficQueries queries, string? window, int? limit, CancellationToken cancellationToken)
    {
        if (Invalid(window ?? "1h", limit ?? 10, out var span) is { } problem)
        {
            return problem;
        }

        return await Guard(() => queries.TopJobsAsync(window ?? "1h", span, limit ?? 10, cancellationToken)).ConfigureAwait(false);
    }

    private static async Task<Results<Ok<LinkUsageReport>, ProblemHttpResult>> LinksAsync(TrafficQueries queries, string? window, CancellationToken cancellationToken)
    {
        if (Invalid(window ?? "1h", 1, out var span) is { } problem)
        {
            return problem;
        }

        return await Guard(() => queries.LinkUsageAsync(window ?? "1h", span, cancellationToken)).ConfigureAwait(false);
    }

    private static async Task<Results<Ok<ReplicationLagReport>, ProblemHttpResult>> LagAsync(TrafficQueries queries, string? window, CancellationToken cancellationToken)
    {
        if (Invalid(window ?? "1h", 1, out var span) is { } problem)
        {
            return problem;
        }

        return await Guard(() => queries.ReplicationLagAsync(window ?? "1h", span, cancellationToken)).ConfigureAwait(false);
    }

    private static async Task<Results<Ok<SuggestionsReport>, ProblemHttpResult>> SuggestionsAsync(
        TrafficQueries queries, DataManagerMoves dataManager, RoleAddresses roles, IConfiguration configuration,
        string? window, int? limit, CancellationToken cancellationToken)
    {
        if (Invalid(window ?? "24h", limit ?? 10, out var span) is { } problem)
        {
            return problem;
        }

        return await Guard(() => queries.SuggestionsAsync(
            window ?? "24h", span, limit ?? 10, Datacenters(configuration), dataManager, roles.DataManager, cancellationToken)).ConfigureAwait(false);
    }

    private static async Task<Ok<ThrottleView>> ThrottleAsync(
        ThrottleGateway throttle, RoleAddresses roles, CancellationToken cancellationToken) =>
        TypedResults.Ok(await ThrottleViewAsync(throttle, roles.Throttle, cancellationToken).ConfigureAwait(false));

    private static async Task<IResult> ListCapsAsync(ThrottleGateway throttle, RoleAddresses roles, CancellationToken cancellationToken)
    {
        var answer = await throttle.ListCapsAsync(roles.Throttle, cancellationToken).ConfigureAwait(false);
        return Relay(answer);
    }

    private static async Task<IResult> SetCapAsync(
        string job, CapRequest? request, ThrottleGateway throttle, RoleAddresses roles, ILogger<ThrottleGateway> logger, CancellationToken cancellationToken)
    {
        job = Uri.UnescapeDataString(job); // Kestrel leaves %2F encoded in a path segment (spark://cluster/... jobs)
        if (request is null)
        {
            return TypedResults.Problem("A cap needs a JSON body: {\"bytesPerSecond\":1048576,\"setBy\":\"name\",\"reason\":\"...\"}.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid cap");
        }

        if (request.BytesPerSecond is < CapRequest.MinBytesPerSecond or > CapRequest.MaxBytesPerSecond)
        {
            return TypedResults.Problem(
                $"bytesPerSecond: must be from {CapRequest.MinBytesPerSecond} to {CapRequest.MaxBytesPerSecond} bytes per second (1 B/s to 1 TB/s), got {request.BytesPerSecond}.",
                statusCode: StatusCodes.Status400BadRequest, title: "Invalid cap");
        }

        if (string.IsNullOrWhiteSpace(request.SetBy))
        {
            return TypedResults.Problem("setBy: required: say who sets the cap, so it can be listed and lifted by name.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid cap");
        }

        AnalyticsLog.CapSet(logger, job, request.BytesPerSecond, request.SetBy);
        var answer = await throttle.SetCapAsync(roles.Throttle, job, request.BytesPerSecond, request.SetBy, request.Reason, cancellationToken).ConfigureAwait(false);
        return Relay(answer);
    }

    private static async Task<IResult> LiftCapAsync(
        string job, string? setBy, ThrottleGateway throttle, RoleAddresses roles, ILogger<ThrottleGateway> logger, CancellationToken cancellationToken)
    {
        job = Uri.UnescapeDataString(job);
        if (string.IsNullOrWhiteSpace(setBy))
        {
            return TypedResults.Problem("setBy: required as a query parameter (?setBy=name): say who lifts the cap.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid request");
        }

        AnalyticsLog.CapLifted(logger, job, setBy);
        var answer = await throttle.LiftCapAsync(roles.Throttle, job, setBy, cancellationToken).ConfigureAwait(false);
        return Relay(answer);
    }

    private static async Task<Results<Ok<DashboardView>, ProblemHttpResult>> DashboardAsync(
        TrafficQueries queries, ThrottleGateway throttle, DataManagerMoves dataManager, IngestStatus status, IOptions<AnalyticsOptions> options, RoleAddresses roles, IConfiguration configuration,
        string? window, CancellationToken cancellationToken)
    {
        var text = window ?? "1h";
        if (Invalid(text, 10, out var span) is { } problem)
        {
            return problem;
        }

        var throttleTask = ThrottleViewAsync(throttle, roles.Throttle, cancellationToken);
        return await Guard(async () =>
        {
            // the reads are independent: ClickHouse answers them side by side
            var topTask = queries.TopJobsAsync(text, span, 10, cancellationToken);
            var linksTask = queries.LinkUsageAsync(text, span, cancellationToken);
            var lagTask = queries.ReplicationLagAsync(text, span, cancellationToken);
            // one window for every panel: the suggestions too are measured over the window the header shows
            var suggestionsTask = queries.SuggestionsAsync(
                text, span, 10, Datacenters(configuration), dataManager, roles.DataManager, cancellationToken);
            await Task.WhenAll(topTask, linksTask, lagTask, suggestionsTask, throttleTask).ConfigureAwait(false);
            var top = await topTask.ConfigureAwait(false);
            var links = await linksTask.ConfigureAwait(false);
            var lag = await lagTask.ConfigureAwait(false);
            var suggestions = await suggestionsTask.ConfigureAwait(false);
            var throttleView = await throttleTask.ConfigureAwait(false);
            return new DashboardView(text, options.Value.RefreshSeconds, top, suggestions, links, lag, throttleView, Ingest(status));
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// For producers without a Kafka client: a JSON array of traffic records (the topic's schema), each validated and
    /// published to the traffic topic; invalid ones are listed with their index and reason, the rest still go.
    /// </summary>
    private static async Task<Results<Accepted<PublishResult>, ProblemHttpResult>> PublishAsync(HttpRequest request, ITrafficRecorder recorder, CancellationToken cancellationToken)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            return TypedResults.Problem($"The body is not valid JSON (line {(e.LineNumber ?? 0) + 1}, byte {e.BytePositionInLine}): {e.Message}", statusCode: StatusCodes.Status400BadRequest, title: "Invalid traffic records");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return TypedResults.Problem("The body must be a JSON array of traffic records.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid traffic records");
            }

            var accepted = 0;
            var rejected = new List<RejectedRecord>();
            var index = 0;
            foreach (var element in document.RootElement.EnumerateArray())
            {
                if (TrafficRecordJson.TryParse(Encoding.UTF8.GetBytes(element.GetRawText()), out var record, out var error))
                {
                    recorder.Record(record!);
                    accepted++;
                }
                else
                {
                    rejected.Add(new RejectedRecord(index, error!));
                }

                index++;
            }

            return TypedResults.Accepted((string?)null, new PublishResult(accepted, rejected));
        }
    }

    internal static async Task<ThrottleView> ThrottleViewAsync(ThrottleGateway throttle, Uri baseUri, CancellationToken cancellationToken)
    {
        var state = await throttle.GetStateAsync(baseUri, cancellationToken).ConfigureAwait(false);
        var caps = await throttle.ListCapsAsync(baseUri, cancellationToken).ConfigureAwait(false);
        var body = state.Body ?? default;
        return new ThrottleView(state.Ok, state.Problem, state.Body, ThrottleSummary.LinkRates(body), ThrottleSummary.Classes(body), caps.Ok ? caps.Body : null);
    }

    private static IngestView Ingest(IngestStatus s) =>
        new(s.Consumed, s.Stored, s.Duplicates, s.DeadLettered, s.Spooled, s.PendingSpoolFiles, s.LastStoredAt, s.LastError, s.KafkaError, s.KafkaLastSuccess);

    private static IResult Relay(ThrottleAnswer answer) => answer.Ok
        ? (answer.Body is { } body ? TypedResults.Json(body, statusCode: answer.Status) : TypedResults.StatusCode(answer.Status))
        : TypedResults.Problem(answer.Problem, statusCode: answer.Status is >= 400 and < 600 ? answer.Status : StatusCodes.Status502BadGateway, title: "Throttle did not apply the request");

    private static string[] Datacenters(IConfiguration configuration) =>
        [.. configuration.GetSection("Datacenters").GetChildren().Select(c => c["Id"]).OfType<string>()];

    private static ProblemHttpResult? Invalid(string window, int limit, out TimeSpan span)
    {
        if (!TimeWindow.TryParse(window, out span, out var error))
        {
            return TypedResults.Problem(error, statusCode: StatusCodes.Status400BadRequest, title: "Invalid window");
        }

        if (limit is < 1 or > 1000)
        {
            return TypedResults.Problem($"limit {limit} is out of range (1 to 1000).", statusCode: StatusCodes.Status400BadRequest, title: "Invalid limit");
        }

        return null;
    }

    private static async Task<Results<Ok<T>, ProblemHttpResult>> Guard<T>(Func<Task<T>> query)
    {
        try
        {
            return TypedResults.Ok(await query().ConfigureAwait(false));
        }
        catch (ClickHouseException e)
        {
            return TypedResults.Problem(e.Message + " Stored traffic is shown again once ClickHouse answers; ingest keeps spooling meanwhile.",
                statusCode: StatusCodes.Status503ServiceUnavailable, title: "ClickHouse unavailable");
        }
    }
}
