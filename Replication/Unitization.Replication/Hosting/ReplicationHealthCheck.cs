using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Unitization.Replication.Pump;

namespace Unitization.Replication.Hosting;

/// <summary>
/// Degraded, with every reason, while HMS or a Kafka client fails, while a partition is stalled (its oldest unapplied
/// event is being retried, or has been worked on longer than <c>StalledAfter</c>) or while a supervised loop is being
/// restarted; the last event-id gap, dead letters and each partition's oldest unapplied event as data.
/// </summary>
internal sealed class ReplicationHealthCheck(ReplicationHealth health, IOptions<ReplicationOptions> options, TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var data = new Dictionary<string, object>
        {
            ["lastPublishedEventId"] = health.LastPublishedEventId,
            ["applied"] = health.Applied,
            ["deadLetters"] = health.DeadLetters,
        };
        if (health.PumpLeadership is { } leadership)
        {
            data["pump"] = leadership;
        }

        if (health.LastGapFrom is { } from)
        {
            data["lastGap"] = $"{from}..{health.LastGapTo}";
        }

        var reasons = new List<string>();
        if (health.MetastoreCallFailures >= 3 && health.MetastoreCallError is { } callError)
        {
            data["metastoreCallFailures"] = health.MetastoreCallFailures;
            reasons.Add($"HMS calls failing ({health.MetastoreCallFailures} in a row): {callError}");
        }

        if (health.MetastoreError is { } error)
        {
            data["metastoreErrorSince"] = health.MetastoreErrorSince!.Value;
            reasons.Add($"HMS unreachable: {error}");
        }

        if (health.KafkaError is { } kafka)
        {
            data["kafkaErrorSince"] = health.KafkaErrorSince!.Value;
            reasons.Add($"Kafka: {kafka}");
        }

        foreach (var partition in health.Partitions)
        {
            var age = partition.AgeAt(now);
            data[string.Create(CultureInfo.InvariantCulture, $"partition{partition.Partition}OldestUnappliedSeconds")] = Math.Round(age.TotalSeconds, 1);
            if (partition.IsStalled(now, options.Value.StalledAfter))
            {
                reasons.Add(Describe(partition, now));
            }
        }

        foreach (var (loop, failure) in health.FailedLoops)
        {
            reasons.Add($"{loop} loop restarting after: {failure}");
        }

        if (health.Standby is { } standby)
        {
            data["standby"] = standby;
        }

        return Task.FromResult(reasons.Count > 0
            ? HealthCheckResult.Degraded(string.Join("; ", reasons), data: data)
            : HealthCheckResult.Healthy(health.Standby is null ? "following HMS" : "standby writer (takes over when the writer stops): " + health.Standby, data));
    }

    /// <summary>One line on a stalled partition: which event, how old, and why.</summary>
    public static string Describe(PartitionProgress partition, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(partition);
        var age = partition.AgeAt(now);
        var head = string.Create(
            CultureInfo.InvariantCulture,
            $"partition {partition.Partition} stalled: oldest unapplied event (offset {partition.Offset}, {partition.Key}) is {age.TotalSeconds:0} s old");
        return partition.LastError is null
            ? head + string.Create(CultureInfo.InvariantCulture, $", worked on for {(now - partition.StartedAt).TotalSeconds:0} s")
            : head + string.Create(CultureInfo.InvariantCulture, $", {partition.Attempts} failed attempt(s), last: {partition.LastError}");
    }
}
