using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Unitization.Namespaces;
using Unitization.Replication.Copy;
using Unitization.Replication.DeadLetters;
using Unitization.Replication.Events;
using Unitization.Replication.Metastore;
using Unitization.Replication.Metastore.Thrift;
using Unitization.Replication.Pump;
using Unitization.Replication.Telemetry;

namespace Unitization.Replication.Workers;

/// <summary>
/// One member of the replicator consumer group: consumes the events topic (blocking <c>Consume</c> on its own task),
/// settles each event (<see cref="HandleAsync"/>) and commits its offset only after that is durable. An event that can
/// never be applied goes to the dead-letter topic with the reason at once; a transient failure is retried with backoff
/// for <see cref="ReplicationOptions.TransientRetryLimit"/>, then parked there too, so no event holds its partition
/// for longer. The loop itself runs under a supervisor: whatever fails outside one event (the consumer, the broker
/// address) is reported in health and the loop starts again after a pause. On start it removes what a previous run of
/// this worker left in its staging folder. A process that is not the namespaces' writer waits as a standby
/// (<see cref="WriterStandby"/>) before it joins the group.
/// </summary>
internal sealed class ReplicatorWorker(
    IEventApplier applier,
    IDeadLetterSink deadLetters,
    ReplicationKafka kafka,
    INamespaceCatalog namespaces,
    ReplicationHealth health,
    IOptions<ReplicationOptions> options,
    TimeProvider time,
    ILogger<ReplicatorWorker> logger,
    ReplicationMetrics? metrics = null) : BackgroundService
{
    public const string LoopName = "worker";
    private const int MaxVerificationAttempts = 8;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.Value.RunWorkers
            ? Task.Run(() => LoopSupervisor.RunAsync(LoopName, RunAsync, health, options.Value.MaxBackoff, time, logger, stoppingToken), stoppingToken)
            : Task.CompletedTask;

    public static async Task CleanStagingAsync(INamespaceCatalog namespaces, ReplicationOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(namespaces);
        var staging = EventApplier.StagingFolder(options);
        foreach (var dc in namespaces.Datacenters.Where(dc => !namespaces.Follows(dc))) // a followed primary is written elsewhere
        {
            if (await namespaces.Get(dc).DeleteAsync(staging, recursive: true, cancellationToken).ConfigureAwait(false) is not null)
            {
                ReplicationLog.StaleStagingRemoved(logger, staging, dc);
            }
        }
    }

    /// <summary>
    /// Settles one event: applied, skipped, or dead-lettered, never thrown. Returns only once the outcome is durable
    /// (a dead letter acknowledged), so the caller may commit the offset; only cancellation escapes.
    /// </summary>
    internal async Task<EventOutcome> HandleAsync(EventRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var settings = options.Value;
        var backoff = new Backoff(settings.MaxBackoff);
        DateTimeOffset? failingSince = null;
        health.EventStarted(record.Partition, record.Offset, record.Key, record.PublishedAt, time.GetUtcNow());
        try
        {
            while (true)
            {
                HmsEventEnvelope? envelope = null;
                try
                {
                    envelope = HmsEventEnvelope.Parse(record.Value);
                    await applier.ApplyAsync(envelope, record.PublishedAt, cancellationToken).ConfigureAwait(false);
                    health.AppliedOne();
                    return EventOutcome.Applied;
                }
                catch (NoSuchObjectException)
                {
                    // the table is gone from HMS already; its DROP event follows
                    return EventOutcome.Skipped;
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
#pragma warning disable CA1031 // a supervisor per event: whatever one event throws settles that event, never the worker
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    var now = time.GetUtcNow();
                    failingSince ??= now;
                    var reason = EventFailure.Describe(ex);
                    if (!EventFailure.IsTransient(ex) || (ex is CopyVerificationException && backoff.Attempt >= MaxVerificationAttempts))
                    {
                        await DeadLetterAsync(record, envelope, reason, cancellationToken).ConfigureAwait(false);
                        return EventOutcome.DeadLettered;
                    }

                    if (now - failingSince.Value >= settings.TransientRetryLimit)
                    {
                        var parked = $"transient failure not resolved after {backoff.Attempt + 1} attempt(s) over {now - failingSince.Value:g} " +
                            $"(Replication:TransientRetryLimit {settings.TransientRetryLimit:g}): {reason}";
                        await DeadLetterAsync(record, envelope, parked, cancellationToken).ConfigureAwait(false);
                        return EventOutcome.DeadLettered;
                    }

                    var delay = backoff.Next();
                    health.EventFailing(record.Partition, reason);
                    if (EventPump.IsMetastoreFailure(ex) && ex is not CopyVerificationException)
                    {
                        health.MetastoreUnreachable(ex.Message, now);
                    }

                    ReplicationLog.Retrying(logger, envelope?.EventId ?? -1, reason, backoff.Attempt, delay);
                    await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            health.EventSettled(record.Partition);
        }
    }

    /// <summary>
    /// Parks the event with its reason. The dead letter must be durable before the offset moves, so a failure to send
    /// it (Kafka down) is retried until it succeeds; health shows the dead-letter producer failing meanwhile.
    /// </summary>
    private async Task DeadLetterAsync(EventRecord record, HmsEventEnvelope? envelope, string reason, CancellationToken cancellationToken)
    {
        var backoff = new Backoff(options.Value.MaxBackoff);
        while (true)
        {
            try
            {
                await deadLetters.SendAsync(record, reason, cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // nothing else may be done with this event until its dead letter is kept
            catch (Exception ex)
#pragma warning restore CA1031
            {
                var delay = backoff.Next();
                health.EventFailing(record.Partition, $"cannot send it to the dead-letter topic: {ex.Message}");
                ReplicationLog.Retrying(logger, envelope?.EventId ?? -1, "dead letter not sent: " + ex.Message, backoff.Attempt, delay);
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            }
        }

        health.DeadLettered();
        ReplicationLog.DeadLettered(logger, envelope?.EventId ?? -1, envelope?.EventType ?? "?", record.Key ?? "?", options.Value.DeadLetterTopic, reason);
    }

    private async Task RunAsync(Backoff restarts, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        // a second replicator process waits here, outside the consumer group, until it holds the writer locks
        await WriterStandby.WaitAsync(namespaces, health, time, logger, stoppingToken).ConfigureAwait(false);
        await CleanStagingAsync(namespaces, settings, logger, stoppingToken).ConfigureAwait(false);
        await kafka.WaitForBootstrapAsync(LoopName, settings.MaxBackoff, stoppingToken).ConfigureAwait(false);
        var monitor = kafka.Monitor(LoopName);
        using var consumer = kafka.CreateConsumer(LoopName);
        consumer.Subscribe(settings.EventsTopic);
        health.LoopRunning(LoopName);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                ConsumeResult<string, string>? result;
                try
                {
                    result = consumer.Consume(stoppingToken);
                }
                catch (ConsumeException ex) when (!ex.Error.IsFatal)
                {
                    monitor.Failing(ex.Error.Reason);
                    continue;
                }

                if (result?.Message is null)
                {
                    continue;
                }

                monitor.Working();
                restarts.Reset();
                var publishedAt = result.Message.Timestamp.Type == TimestampType.NotAvailable ? time.GetUtcNow() : result.Message.Timestamp.UtcDateTime;
                var replayOf = result.Message.Headers is { } headers && headers.TryGetLastBytes(DeadLetterHeaders.ReplayOf, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;
                var record = new EventRecord(
                    result.Topic, result.Partition.Value, result.Offset.Value, result.Message.Key, result.Message.Value, publishedAt, replayOf);
                await HandleAsync(record, stoppingToken).ConfigureAwait(false);
                await CommitWithRetryAsync(consumer, result, monitor, stoppingToken).ConfigureAwait(false);
                metrics?.EventsBehind(EventsBehind(consumer));
            }
        }
        finally
        {
            health.PartitionsReleased();
            consumer.Close();
        }
    }

    /// <summary>High watermark minus position over the assigned partitions (the watermarks the last fetches brought).</summary>
    private static long EventsBehind(IConsumer<string, string> consumer)
    {
        long behind = 0;
        foreach (var partition in consumer.Assignment)
        {
            var high = consumer.GetWatermarkOffsets(partition).High;
            var position = consumer.Position(partition);
            if (high != Offset.Unset && position != Offset.Unset)
            {
                behind += Math.Max(0, high.Value - position.Value);
            }
        }

        return behind;
    }

    private async Task CommitWithRetryAsync(IConsumer<string, string> consumer, ConsumeResult<string, string> record, KafkaClientMonitor monitor, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                consumer.Commit(record);
                return;
            }
            catch (KafkaException ex) when (!cancellationToken.IsCancellationRequested && !ex.Error.IsFatal)
            {
                // the commit record is durable, so a redelivery after a lost commit is skipped as already fresh
                monitor.Failing(ex.Error.Reason);
                if (ex.Error.Code is ErrorCode.UnknownMemberId or ErrorCode.IllegalGeneration or ErrorCode.RebalanceInProgress)
                {
                    return;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(200), time, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
