using Confluent.Kafka;
using Unitization.Kafka;
using Unitization.Replication.Pump;

namespace Unitization.Replication.Events;

/// <summary>
/// Turns one Kafka client's callbacks into health: librdkafka's error callback (all brokers down, a fatal error)
/// marks the client failing with the reason, and so do statistics in which no broker is up; its statistics (every second) clear that once a broker is
/// up again, and so does any delivery or poll that reached the brokers (<see cref="Working"/>). librdkafka itself keeps
/// retrying underneath, so without these callbacks an outage would not show anywhere.
/// </summary>
internal sealed class KafkaClientMonitor(string client, ReplicationHealth health, TimeProvider time)
{
    public const int StatisticsIntervalMs = 1000;

    public string Client => client;

    /// <summary>
    /// Errors that mean the client cannot work (every broker down, a fatal error, authentication) fail it at once; a
    /// single dropped connection (which librdkafka also reports, and re-opens) is left to the statistics.
    /// </summary>
    public void OnError(Error error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (error.IsFatal || error.Code is ErrorCode.Local_AllBrokersDown or ErrorCode.Local_Authentication or ErrorCode.Local_Resolve)
        {
            Failing($"{error.Reason} ({error.Code})");
        }
    }

    public void Failing(string reason) => health.KafkaFailing(client, reason, time.GetUtcNow());

    public void Working() => health.KafkaWorking(client, time.GetUtcNow());

    /// <summary>librdkafka's statistics JSON: <c>brokers.{name}.state</c> for every broker it knows (<c>nodeid</c> -1: a bootstrap address).</summary>
    public void OnStatistics(string json)
    {
        var (known, up) = KafkaStatistics.BrokersUp(json);
        if (up > 0)
        {
            Working();
        }
        else if (known > 0)
        {
            Failing($"none of {known} Kafka broker(s) is connected");
        }
    }

    public ProducerBuilder<TKey, TValue> Attach<TKey, TValue>(ProducerBuilder<TKey, TValue> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.SetErrorHandler((_, e) => OnError(e)).SetStatisticsHandler((_, json) => OnStatistics(json));
    }

    public ConsumerBuilder<TKey, TValue> Attach<TKey, TValue>(ConsumerBuilder<TKey, TValue> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.SetErrorHandler((_, e) => OnError(e)).SetStatisticsHandler((_, json) => OnStatistics(json));
    }
}
