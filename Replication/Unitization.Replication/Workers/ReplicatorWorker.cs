using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Unitization.Namespaces;
using Unitization.Replication.Copy;
using Unitization.Replication.Events;
using Unitization.Replication.Metastore;
using Unitization.Replication.Metastore.Thrift;
using Unitization.Replication.Pump;

namespace Unitization.Replication.Workers;

/// <summary>
/// One member of the replicator consumer group: consumes the events topic (blocking <c>Consume</c> on its own task),
/// applies each event, and commits its offset only after the commit records are durable. A poison event goes to the
/// dead-letter topic with the reason and the stream goes on; transient failures are retried with backoff. On start it
/// removes what a previous run of this worker left in its staging folder.
/// </summary>
internal sealed class ReplicatorWorker(
    EventApplier applier,
    ReplicationKafka kafka,
    INamespaceCatalog namespaces,
    ReplicationHealth health,
    IOptions<ReplicationOptions> options,
    TimeProvider time,
    ILogger<ReplicatorWorker> logger) : BackgroundService
{
    private const int MaxVerificationAttempts = 8;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.Value.RunWorkers ? Task.Run(() => RunAsync(stoppingToken), stoppingToken) : Task.CompletedTask;

    public static async Task CleanStagingAsync(INamespaceCatalog namespaces, ReplicationOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(namespaces);
        var staging = EventApplier.StagingFolder(options);
        foreach (var dc in namespaces.Datacenters)
        {
            if (await namespaces.Get(dc).DeleteAsync(staging, recursive: true, cancellationToken).ConfigureAwait(false) is not null)
            {
                ReplicationLog.StaleStagingRemoved(logger, staging, dc);
            }
        }
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        await CleanStagingAsync(namespaces, settings, logger, stoppingToken).ConfigureAwait(false);
        await kafka.WaitForBootstrapAsync(health, settings.MaxBackoff, time, stoppingToken).ConfigureAwait(false);
        health.KafkaFailing(null);
        using var deadLetters = kafka.CreateProducer();
        using var consumer = kafka.CreateConsumer();
        consumer.Subscribe(settings.EventsTopic);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                ConsumeResult<string, string>? record;
                try
                {
                    record = consumer.Consume(stoppingToken);
                }
                catch (ConsumeException ex)
                {
                    health.KafkaFailing(ex.Error.Reason);
                    continue;
                }

                if (record?.Message is null)
                {
                    continue;
                }

                await HandleAsync(record, deadLetters, settings, stoppingToken).ConfigureAwait(false);
                await CommitWithRetryAsync(consumer, record, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            consumer.Close();
        }
    }

    private async Task HandleAsync(ConsumeResult<string, string> record, IProducer<string, string> deadLetters, ReplicationOptions settings, CancellationToken cancellationToken)
    {
        var backoff = new Backoff(settings.MaxBackoff);
        HmsEventEnvelope? envelope = null;
        while (true)
        {
            try
            {
                envelope = HmsEventEnvelope.Parse(record.Message.Value);
                await applier.ApplyAsync(envelope, cancellationToken).ConfigureAwait(false);
                health.AppliedOne();
                return;
            }
            catch (NoSuchObjectException)
            {
                // the table is gone from HMS already; its DROP event follows
                return;
            }
            catch (Exception ex) when (ex is MalformedEventException or NamespacePathException or KeyNotFoundException
                || (ex is CopyVerificationException && backoff.Attempt >= MaxVerificationAttempts))
            {
                await DeadLetterAsync(record, envelope, ex.Message, deadLetters, settings, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && IsTransient(ex))
            {
                var delay = backoff.Next();
                if (EventPump.IsMetastoreFailure(ex) && ex is not CopyVerificationException)
                {
                    health.MetastoreUnreachable(ex.Message, time.GetUtcNow());
                }

                ReplicationLog.Retrying(logger, envelope?.EventId ?? -1, ex.Message, backoff.Attempt, delay);
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task DeadLetterAsync(
        ConsumeResult<string, string> record, HmsEventEnvelope? envelope, string reason, IProducer<string, string> deadLetters, ReplicationOptions settings, CancellationToken cancellationToken)
    {
        var headers = new Headers
        {
            { "unitization-dlq-reason", Encoding.UTF8.GetBytes(reason) },
            { "unitization-source", Encoding.UTF8.GetBytes($"{record.Topic}/{record.Partition.Value}/{record.Offset.Value}") },
        };
        await deadLetters.ProduceAsync(
            settings.DeadLetterTopic,
            new Message<string, string> { Key = record.Message.Key, Value = record.Message.Value, Headers = headers },
            cancellationToken).ConfigureAwait(false);
        health.DeadLettered();
        ReplicationLog.DeadLettered(logger, envelope?.EventId ?? -1, envelope?.EventType ?? "?", record.Message.Key ?? "?", settings.DeadLetterTopic, reason);
    }

    private async Task CommitWithRetryAsync(IConsumer<string, string> consumer, ConsumeResult<string, string> record, CancellationToken cancellationToken)
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
                health.KafkaFailing(ex.Error.Reason);
                if (ex.Error.Code is ErrorCode.UnknownMemberId or ErrorCode.IllegalGeneration or ErrorCode.RebalanceInProgress)
                {
                    return;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(200), time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static bool IsTransient(Exception ex) =>
        ex is IOException or TimeoutException or HttpRequestException or MetaException or KafkaException or InvalidOperationException
        || EventPump.IsMetastoreFailure(ex)
        || ex is System.Data.Common.DbException;
}
