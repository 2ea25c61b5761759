using System.Net.Sockets;
using Confluent.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Thrift;
using Thrift.Protocol;
using Thrift.Transport;
using Unitization.Replication.Events;
using Unitization.Replication.Metastore;
using Unitization.Replication.Metastore.Thrift;
using Unitization.Replication.Rules;

namespace Unitization.Replication.Pump;

/// <summary>
/// Follows HMS's notification log from the stored checkpoint: each event goes to the events topic keyed by
/// <c>db.table</c>, and the checkpoint moves only after Kafka acknowledged the batch. A jump in event ids means HMS's
/// event cleaner removed events before they were read: it is logged, shown in health, and every ruled table is
/// re-synced (a whole-table copy) instead of silently missing changes.
/// </summary>
internal sealed class EventPump(
    MetastoreConnection metastore,
    ReplicationKafka kafka,
    PumpCheckpointStore checkpoints,
    RuleBook rules,
    ReplicationHealth health,
    IOptions<ReplicationOptions> options,
    TimeProvider time,
    ILogger<EventPump> logger) : BackgroundService
{
    private const string Source = "hms";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var settings = options.Value;
        if (!settings.RunPump)
        {
            return;
        }

        await kafka.WaitForBootstrapAsync(health, settings.MaxBackoff, time, stoppingToken).ConfigureAwait(false);
        var backoff = new Backoff(settings.MaxBackoff);
        using var producer = kafka.CreateProducer();
        var last = await checkpoints.GetAsync(Source, stoppingToken).ConfigureAwait(false);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var client = await metastore.GetAsync(stoppingToken).ConfigureAwait(false);
                var events = await client.GetNextEventsAsync(last, settings.PumpBatchSize, stoppingToken).ConfigureAwait(false);
                health.MetastoreReachable();
                if (events.Count == 0)
                {
                    backoff.Reset();
                    await Task.Delay(settings.PumpPollInterval, time, stoppingToken).ConfigureAwait(false);
                    continue;
                }

                var batch = new List<HmsEventEnvelope>();
                if (last > 0 && events[0].EventId > last + 1)
                {
                    batch.AddRange(await ResyncAsync(last + 1, events[0], stoppingToken).ConfigureAwait(false));
                }

                batch.AddRange(events.Select(HmsEventEnvelope.From));
                await PublishAsync(producer, batch, settings.EventsTopic, stoppingToken).ConfigureAwait(false);
                last = events[^1].EventId;
                await checkpoints.SetAsync(Source, last, stoppingToken).ConfigureAwait(false);
                health.Published(last);
                health.KafkaFailing(null);
                backoff.Reset();
                ReplicationLog.Published(logger, events[0].EventId, last, settings.EventsTopic);
            }
            catch (Exception ex) when (IsMetastoreFailure(ex) && !stoppingToken.IsCancellationRequested)
            {
                var delay = backoff.Next();
                health.MetastoreUnreachable(ex.Message, time.GetUtcNow());
                ReplicationLog.MetastoreUnreachable(logger, metastore.Describe(), ex.Message, delay);
                await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
            }
            catch (KafkaException ex) when (!stoppingToken.IsCancellationRequested)
            {
                // nothing was checkpointed: the same batch is read and published again (workers skip what they applied)
                var delay = backoff.Next();
                health.KafkaFailing(ex.Message);
                ReplicationLog.MetastoreUnreachable(logger, "kafka " + kafka.BootstrapServers, ex.Message, delay);
                await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<IReadOnlyList<HmsEventEnvelope>> ResyncAsync(long expected, NotificationEvent first, CancellationToken cancellationToken)
    {
        var tables = (await rules.GetAsync(cancellationToken).ConfigureAwait(false)).Keys.ToList();
        health.Gap(expected, first.EventId);
        ReplicationLog.EventGap(logger, expected, first.EventId, tables.Count);
        return tables
            .Select(t => t.Split('.', 2))
            .Where(p => p.Length == 2)
            .Select(p => HmsEventEnvelope.Resync(first.EventId - 1, first.EventTime, p[0], p[1]))
            .ToList();
    }

    private static async Task PublishAsync(IProducer<string, string> producer, IReadOnlyList<HmsEventEnvelope> batch, string topic, CancellationToken cancellationToken)
    {
        var deliveries = batch
            .Select(e => producer.ProduceAsync(topic, new Message<string, string> { Key = e.Key, Value = e.ToJson() }, cancellationToken))
            .ToList();
        await Task.WhenAll(deliveries).ConfigureAwait(false);
    }

    internal static bool IsMetastoreFailure(Exception ex) =>
        ex is TTransportException or TApplicationException or TProtocolException or SocketException or IOException or TimeoutException
            or FormatException or ObjectDisposedException or MetaException
        || (ex is OperationCanceledException && ex.InnerException is TimeoutException);
}
