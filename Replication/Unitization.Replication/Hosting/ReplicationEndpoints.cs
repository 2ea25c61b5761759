using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Unitization.Replication.DeadLetters;
using Unitization.Replication.Lifecycle;
using Unitization.Replication.Migration;
using Unitization.Replication.Pump;
using Unitization.Replication.Versions;
using Unitization.Throttle.Budget;

namespace Unitization.Replication.Hosting;

/// <summary>The replicator's HTTP API: status, dead letters, replica versions, replicas and their lifecycle, migrations.</summary>
internal static class ReplicationEndpoints
{
    private const int DefaultDeadLettersListed = 100;
    private const int MaxDeadLettersListed = 10_000;

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1");
        api.MapGet("/replication/status", (ReplicationHealth health, IOptions<ReplicationOptions> options, TimeProvider time) =>
        {
            var now = time.GetUtcNow();
            return TypedResults.Ok(new
            {
                metastoreError = health.MetastoreError,
                metastoreErrorSince = health.MetastoreErrorSince,
                kafkaError = health.KafkaError,
                kafkaErrorSince = health.KafkaErrorSince,
                kafkaLastSuccess = health.KafkaLastSuccess,
                lastPublishedEventId = health.LastPublishedEventId,
                lastGap = health.LastGapFrom is null ? null : new { from = health.LastGapFrom, to = health.LastGapTo },
                applied = health.Applied,
                deadLetters = health.DeadLetters,
                metastoreCallError = health.MetastoreCallError,
                metastoreCallFailures = health.MetastoreCallFailures,
                metastoreCallFailingSince = health.MetastoreCallFailingSince,
                acidPendingWrites = health.AcidPendingWrites,
                acidRefused = health.AcidRefused,
                lastAcidRefusal = health.LastAcidRefusal,
                partitions = health.Partitions.Select(p => new
                {
                    partition = p.Partition,
                    offset = p.Offset,
                    key = p.Key,
                    oldestUnappliedAgeSeconds = Math.Round(p.AgeAt(now).TotalSeconds, 1),
                    attempts = p.Attempts,
                    lastError = p.LastError,
                    stalled = p.IsStalled(now, options.Value.StalledAfter),
                }).ToList(),
                failedLoops = health.FailedLoops,
            });
        });
        api.MapGet("/replication/dead-letters", async Task<Results<Ok<IReadOnlyList<DeadLetter>>, ProblemHttpResult>> (
            int? limit, DeadLetterTopic deadLetters, CancellationToken cancellationToken) =>
        {
            if (limit is < 1 or > MaxDeadLettersListed)
            {
                return TypedResults.Problem($"Query parameter 'limit' must be 1..{MaxDeadLettersListed}, not {limit}.", statusCode: StatusCodes.Status400BadRequest);
            }

            return TypedResults.Ok(await deadLetters.ListAsync(limit ?? DefaultDeadLettersListed, cancellationToken).ConfigureAwait(false));
        });
        api.MapPost("/replication/dead-letters/replay", async Task<Results<Ok<ReplayResult>, ProblemHttpResult>> (
            ReplayRequest? request, DeadLetterTopic deadLetters, CancellationToken cancellationToken) =>
        {
            if (request is null || (request.All is not true && request.Ids is not { Count: > 0 }))
            {
                return TypedResults.Problem("Body must name what to replay: {\"ids\":[\"0-12\"]} (ids from GET /api/v1/replication/dead-letters) or {\"all\":true}.", statusCode: StatusCodes.Status400BadRequest);
            }

            if (request.All is true && request.Ids is { Count: > 0 })
            {
                return TypedResults.Problem("Give either 'ids' or 'all', not both.", statusCode: StatusCodes.Status400BadRequest);
            }

            if (request.Ids?.FirstOrDefault(id => !ReplayRequest.IsId(id)) is { } bad)
            {
                return TypedResults.Problem($"ids: '{bad}' is not a dead letter id (partition-offset, e.g. 0-12).", statusCode: StatusCodes.Status400BadRequest);
            }

            try
            {
                var replayed = await deadLetters.ReplayAsync(request.All is true ? null : request.Ids, cancellationToken).ConfigureAwait(false);
                return TypedResults.Ok(new ReplayResult(replayed.Count, replayed));
            }
            catch (KeyNotFoundException ex)
            {
                return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status404NotFound);
            }
        });
        api.MapGet("/replication/versions", async Task<Results<Ok<IReadOnlyList<ReplicaVersion>>, ProblemHttpResult>> (
            string datacenter, string? prefix, IReplicaVersionStore versions, CancellationToken cancellationToken) =>
        {
            if (string.IsNullOrWhiteSpace(datacenter))
            {
                return TypedResults.Problem("Query parameter 'datacenter' is required, e.g. ?datacenter=dcB&prefix=/warehouse.", statusCode: StatusCodes.Status400BadRequest);
            }

            var p = string.IsNullOrWhiteSpace(prefix) ? "/" : prefix;
            if (!p.StartsWith('/'))
            {
                return TypedResults.Problem($"prefix '{p}' must be an absolute path (start with '/').", statusCode: StatusCodes.Status400BadRequest);
            }

            return TypedResults.Ok(await versions.ListAsync(datacenter, p, cancellationToken).ConfigureAwait(false));
        });
        api.MapGet("/replicas", async Task<Results<Ok<ReplicaListing>, ProblemHttpResult>> (
            string? datacenter, string? state, ReplicaRegistry registry, ReplicaLifecycle lifecycle, TimeProvider time, CancellationToken cancellationToken) =>
        {
            ReplicaState? wanted = null;
            if (!string.IsNullOrWhiteSpace(state))
            {
                if (!Enum.TryParse<ReplicaState>(state, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
                {
                    return TypedResults.Problem($"state '{state}' is not one of active, expiring, retired.", statusCode: StatusCodes.Status400BadRequest);
                }

                wanted = parsed;
            }

            var now = time.GetUtcNow();
            var replicas = await registry.ListAsync(string.IsNullOrWhiteSpace(datacenter) ? null : datacenter, wanted, cancellationToken).ConfigureAwait(false);
            var history = await registry.HistoryAsync(50, cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok(new ReplicaListing(
                replicas.Select(r => lifecycle.Describe(r, now)).Select(r => new ReplicaView(
                    r.Datacenter, r.Path, r.Dataset, ReplicaRegistry.Name(r.State), r.CommittedAt, r.ExpiresAt, r.UnruledSince, r.RetireAt, r.RetiredAt, r.Reason)).ToList(),
                history));
        });
        api.MapPost("/migrations", async Task<Results<Accepted<MigrationProgress>, ProblemHttpResult>> (MigrationRequest request, MigrationService migrations, CancellationToken cancellationToken) =>
        {
            try
            {
                var (dc, path) = MigrationSpec.ParseSource(request.Source ?? string.Empty);
                if (string.IsNullOrWhiteSpace(request.Target))
                {
                    return TypedResults.Problem("Field 'target' is required: the datacenter to migrate to, e.g. \"dcB\".", statusCode: StatusCodes.Status400BadRequest);
                }

                var rate = string.IsNullOrWhiteSpace(request.Rate) ? (long?)null : MigrationSpec.ParseRate(request.Rate);
                var priority = string.IsNullOrWhiteSpace(request.Priority) ? TrafficPriority.Low : MigrationSpec.ParsePriority(request.Priority);
                var job = await migrations.StartAsync(new MigrationSpec(dc, path, request.Target, request.Parallel is > 0 ? request.Parallel.Value : 4, rate, priority), cancellationToken).ConfigureAwait(false);
                return TypedResults.Accepted($"/api/v1/migrations/{job.Id}", job);
            }
            catch (Exception ex) when (ex is FormatException or KeyNotFoundException)
            {
                return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status400BadRequest);
            }
        });
        api.MapGet("/migrations", (MigrationService migrations) => TypedResults.Ok(migrations.List()));
        api.MapGet("/migrations/{id}", Results<Ok<MigrationProgress>, ProblemHttpResult> (string id, MigrationService migrations) =>
            migrations.Get(id) is { } job
                ? TypedResults.Ok(job)
                : TypedResults.Problem($"No migration '{id}' in this process; GET /api/v1/migrations lists them.", statusCode: StatusCodes.Status404NotFound));
    }
}
