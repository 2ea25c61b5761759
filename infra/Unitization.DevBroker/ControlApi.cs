using Confluent.Kafka;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Unitization.DevBroker.Mock;

namespace Unitization.DevBroker;

/// <summary>
/// The dev broker's control API on loopback: health (a real Metadata request against the mock), state, and the mock's
/// fault injection (brokers down/up, round-trip delay, partition leadership) and topic creation.
/// </summary>
internal static class ControlApi
{
    /// <summary>Maps the endpoints; <paramref name="admin"/> (a client of the mock) answers the health check's Metadata request.</summary>
    public static void Map(IEndpointRouteBuilder app, MockCluster cluster, IAdminClient admin, ILogger logger)
    {

        app.MapGet("/healthz", Results<Ok<HealthResponse>, ProblemHttpResult> () =>
        {
            try
            {
                var metadata = admin.GetMetadata(TimeSpan.FromSeconds(5));
                return TypedResults.Ok(new HealthResponse(
                    "Healthy",
                    cluster.Bootstrap,
                    metadata.Brokers.Count,
                    metadata.Topics.Where(t => cluster.Topics.ContainsKey(t.Topic)).ToDictionary(t => t.Topic, t => t.Partitions.Count)));
            }
            catch (KafkaException ex)
            {
                return TypedResults.Problem($"Metadata request to {cluster.Bootstrap} failed: {ex.Error.Reason}", statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        });

        app.MapGet("/state", () => TypedResults.Ok(new StateResponse(cluster.Bootstrap, cluster.BrokerCount, cluster.DownBrokers, cluster.Topics)));

        app.MapPost("/brokers/{id:int}/down", (int id) => Control(logger, $"broker {id} down", () => cluster.SetBrokerDown(id)));
        app.MapPost("/brokers/{id:int}/up", (int id) => Control(logger, $"broker {id} up", () => cluster.SetBrokerUp(id)));
        app.MapPost("/brokers/{id:int}/rtt/{ms:int}", (int id, int ms) => Control(logger, $"broker {id} round trip {ms} ms", () => cluster.SetBrokerRtt(id, ms)));
        app.MapPost(
            "/topics/{topic}/partitions/{partition:int}/leader/{broker:int}",
            (string topic, int partition, int broker) => Control(logger, $"{topic}[{partition}] leader -> broker {broker}", () => cluster.SetPartitionLeader(topic, partition, broker)));
        app.MapPost("/topics/{topic}", (string topic, int? partitions) =>
            Control(logger, $"create topic {topic}", () => cluster.CreateTopic(topic, partitions ?? 1)));
    }

    private static Results<Ok<string>, ProblemHttpResult> Control(ILogger logger, string what, Action action)
    {
        try
        {
            action();
            DevBrokerLog.ControlAction(logger, what);
            return TypedResults.Ok(what);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status400BadRequest);
        }
    }

    internal sealed record HealthResponse(string Status, string Bootstrap, int Brokers, IReadOnlyDictionary<string, int> Topics);

    internal sealed record StateResponse(string Bootstrap, int Brokers, IReadOnlyCollection<int> Down, IReadOnlyDictionary<string, int> Topics);
}
