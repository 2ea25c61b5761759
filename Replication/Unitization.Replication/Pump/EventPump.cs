using System.Net.Sockets;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Thrift;
using Thrift.Protocol;
using Thrift.Transport;
using Unitization.Replication.DeadLetters;
using Unitization.Replication.Events;
using Unitization.Replication.Metastore;
using Unitization.Replication.Metastore.Thrift;
using Unitization.Replication.Rules;
using Unitization.StateStore.Leadership;

namespace Unitization.Replication.Pump;

/// <summary>
/// Follows HMS's notification log from the stored checkpoint: each event goes to the events topic keyed by
/// <c>db.table</c>, and the checkpoint moves only after Kafka acknowledged the batch. A jump in event ids means HMS's
/// event cleaner removed events before they were read: it is logged, shown in health, and every ruled table is
/// re-synced (a whole-table copy) instead of silently missing changes. The log is read through
/// <see cref="NotificationFeed"/> (HMS's filters), and ACID writes are held until their transaction commits. An event the
/// broker refuses for what it is (too large, invalid) goes to the dead-letter topic with the reason, and the log goes
/// on. HMS or Kafka failures back off and show in health; anything else that fails the loop is reported and the loop
/// starts again (a supervisor), so the host never stops because of the pump. One process of a fleet pumps a metastore:
/// the holder of its lease (<c>pump:hms</c>, <see cref="LeaderElector"/>); the others wait as standbys and one takes
/// over within a lease of the leader's death. The leader checks its lease before each publish, and the checkpoint
/// moves only under its epoch (a fenced write), so a leader that lost its lease never publishes nor moves the
/// checkpoint again.
/// </summary>
internal sealed class EventPump(
    MetastoreConnection metastore,
    NotificationFeed feed,
    AcidWriteBuffer acid,
    ReplicationKafka kafka,
    PumpCheckpointStore checkpoints,
    RuleBook rules,
    LeaderElector elector,
    ReplicationHealth health,
    IOptions<ReplicationOptions> options,
    TimeProvider time,
    ILogger<EventPump> logger) : BackgroundService
{
    public const string LoopName = "pump";
    private const string Source = "hms";
    private const int MaxParkedCharacters = 64 * 1024;

    /// <summary>The singleton's lease: one pump per metastore across the fleet.</summary>
    public static string LeaseName => "pump:" + Source;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        if (!options.Value.RunPump)
        {
            return;
        }

        await LoopSupervisor.RunAsync(LoopName, (_, ct) => LeadAsync(ct), health, options.Value.MaxBackoff, time, logger, stoppingToken).ConfigureAwait(false);
    }

    /// <summary>Waits to be elected, pumps while the lease holds, and goes back to waiting when it is lost.</summary>
    private async Task LeadAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            health.PumpStandby();
            var lease = await elector.AcquireAsync(LeaseName, stoppingToken).ConfigureAwait(false);
            await using (lease.ConfigureAwait(false))
            {
                health.PumpLeading(lease.Epoch);
                using var leading = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lease.Lost);
                try
                {
                    await RunAsync(lease, leading.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested && (ex is LeadershipLostException || lease.Lost.IsCancellationRequested))
                {
                    ReplicationLog.PumpLeadershipLost(logger, LeaseName, lease.Epoch, ex.Message);
                }
            }
        }
    }

    private async Task RunAsync(LeaderLease lease, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        await kafka.WaitForBootstrapAsync(LoopName, settings.MaxBackoff, stoppingToken).ConfigureAwait(false);
        var monitor = kafka.Monitor(LoopName);
        var backoff = new Backoff(settings.MaxBackoff);
        using var producer = kafka.CreateProducer(LoopName);
        var last = await checkpoints.GetAsync(Source, stoppingToken).ConfigureAwait(false);
        health.LoopRunning(LoopName);
        health.AcidPending(await acid.CountAsync(Source, stoppingToken).ConfigureAwait(false));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var read = await feed.NextAsync(last, stoppingToken).ConfigureAwait(false);
                health.MetastoreReachable();
                if (read.Events.Count == 0 && read.GapTo is null)
                {
                    if (read.Last > last)
                    {
                        await checkpoints.SetAsync(Source, read.Last, lease, stoppingToken).ConfigureAwait(false);
                        last = read.Last;
                        health.Published(last);
                    }

                    backoff.Reset();
                    await Task.Delay(settings.PumpPollInterval, time, stoppingToken).ConfigureAwait(false);
                    continue;
                }

                var batch = new List<HmsEventEnvelope>();
                if (read.GapTo is { } gapTo)
                {
                    batch.AddRange(await ResyncAsync(last + 1, gapTo, read.Events.Count > 0 ? read.Events[0].EventTime : 0, stoppingToken).ConfigureAwait(false));
                }

                var held = new List<(long TxnId, HmsEventEnvelope Write)>();
                var ended = new HashSet<long>();
                foreach (var e in read.Events)
                {
                    batch.AddRange(await AcidAsync(HmsEventEnvelope.From(e), held, ended, settings, stoppingToken).ConfigureAwait(false));
                }

                lease.EnsureHeld();
                await PublishAsync(producer, batch, settings, stoppingToken).ConfigureAwait(false);
                await acid.CommitBatchAsync(Source, held.Where(h => !ended.Contains(h.TxnId)).ToList(), ended, read.Last, lease, stoppingToken).ConfigureAwait(false);
                last = read.Last;
                health.AcidPending(await acid.CountAsync(Source, stoppingToken).ConfigureAwait(false));
                health.Published(last);
                monitor.Working();
                backoff.Reset();
                if (batch.Count > 0)
                {
                    ReplicationLog.Published(logger, batch[0].EventId, last, settings.EventsTopic);
                }
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
                monitor.Failing(ex.Message);
                ReplicationLog.MetastoreUnreachable(logger, "kafka " + kafka.BootstrapServers, ex.Message, delay);
                await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<IReadOnlyList<HmsEventEnvelope>> ResyncAsync(long expected, long firstPresent, int eventTime, CancellationToken cancellationToken)
    {
        var tables = (await rules.GetAsync(cancellationToken).ConfigureAwait(false)).Keys.ToList();
        health.Gap(expected, firstPresent);
        ReplicationLog.EventGap(logger, expected, firstPresent, tables.Count);
        return tables
            .Select(t => t.Split('.', 2))
            .Where(p => p.Length == 2)
            .Select(p => HmsEventEnvelope.Resync(firstPresent - 1, eventTime, p[0], p[1]))
            .ToList();
    }

    /// <summary>Whether a rule replicates the table; true while the rules cannot be had (a write held for nothing costs a row, a write dropped costs a replica).</summary>
    private async Task<bool> RuledOrUnknownAsync(string db, string table, CancellationToken cancellationToken)
    {
        try
        {
            return await rules.FindAsync(db, table, cancellationToken).ConfigureAwait(false) is not null;
        }
        catch (Exception ex) when (RuleBook.IsUnavailable(ex) && !cancellationToken.IsCancellationRequested)
        {
            return true;
        }
    }

    /// <summary>
    /// What to publish for one event. With <see cref="AcidTableMode.ReplicateAtCommit"/>, an ACID_WRITE_EVENT on a ruled
    /// table is held (here and, after the batch, in the state store) until its transaction ends: COMMIT_TXN publishes
    /// the held writes as <see cref="HiveEventType.CommittedWrite"/> events, ABORT_TXN drops them. With Refuse, ACID
    /// writes go to the workers as they are, and the workers dead-letter those of ruled tables with the reason.
    /// </summary>
    private async Task<IReadOnlyList<HmsEventEnvelope>> AcidAsync(
        HmsEventEnvelope envelope, List<(long TxnId, HmsEventEnvelope Write)> held, HashSet<long> ended, ReplicationOptions settings, CancellationToken cancellationToken)
    {
        if (settings.AcidTables != AcidTableMode.ReplicateAtCommit)
        {
            return [envelope];
        }

        switch (envelope.EventType)
        {
            case HiveEventType.AcidWrite:
            {
                if (envelope.DbName is null || envelope.TableName is null || !await RuledOrUnknownAsync(envelope.DbName, envelope.TableName, cancellationToken).ConfigureAwait(false))
                {
                    return [];
                }

                HiveMessage message;
                try
                {
                    message = HiveMessage.Parse(envelope.EventType, envelope.MessageFormat, envelope.Message);
                }
                catch (MalformedEventException)
                {
                    return [envelope]; // the workers dead-letter it with the reason
                }

                held.Add((message.TxnId!.Value, envelope with { EventType = HiveEventType.CommittedWrite }));
                return [];
            }

            case HiveEventType.CommitTxn or HiveEventType.AbortTxn:
            {
                if (HiveTxnMessage.TryReadTxnId(envelope) is not { } txn)
                {
                    return [envelope]; // no txnid: the workers dead-letter it with the reason
                }

                var writes = (await acid.LoadAsync(Source, txn, cancellationToken).ConfigureAwait(false))
                    .Concat(held.Where(h => h.TxnId == txn).Select(h => h.Write))
                    .DistinctBy(w => w.EventId)
                    .ToList();
                ended.Add(txn);
                if (envelope.EventType == HiveEventType.AbortTxn)
                {
                    ReplicationLog.AcidAborted(logger, txn, writes.Count);
                    return [];
                }

                ReplicationLog.AcidCommitted(logger, txn, writes.Count);
                return writes.Select(w => w with { EventTime = envelope.EventTime }).ToList();
            }

            default:
                return [envelope];
        }
    }

    /// <summary>
    /// Publishes a batch. An event the broker refuses for what it is (larger than the topic takes, an invalid record)
    /// would be refused again on every try, so it goes to the dead-letter topic, cut to its first bytes, with the
    /// reason; any other failure fails the whole batch, which is published again.
    /// </summary>
    private async Task PublishAsync(IProducer<string, string> producer, IReadOnlyList<HmsEventEnvelope> batch, ReplicationOptions settings, CancellationToken cancellationToken)
    {
        var deliveries = batch
            .Select(e => (Event: e, Value: e.ToJson()))
            .Select(e => (e.Event, e.Value, Delivery: producer.ProduceAsync(settings.EventsTopic, new Message<string, string> { Key = e.Event.Key, Value = e.Value }, cancellationToken)))
            .ToList();
        try
        {
            await Task.WhenAll(deliveries.Select(d => d.Delivery)).ConfigureAwait(false);
            return;
        }
        catch (ProduceException<string, string>) when (deliveries.All(d => d.Delivery.IsCompletedSuccessfully || RefusedForWhatItIs(d.Delivery)))
        {
            // only refused records failed: park them below
        }

        foreach (var (e, value, delivery) in deliveries.Where(d => !d.Delivery.IsCompletedSuccessfully))
        {
            var error = ((ProduceException<string, string>)delivery.Exception!.InnerException!).Error;
            var reason = $"the events topic refused event {e.EventId} ({value.Length} characters): {error.Reason} ({error.Code})";
            var headers = new Headers
            {
                { DeadLetterHeaders.Reason, Encoding.UTF8.GetBytes(reason) },
                { DeadLetterHeaders.Source, Encoding.UTF8.GetBytes($"{Source}/{e.EventId}") },
            };
            var kept = value.Length > MaxParkedCharacters ? value[..MaxParkedCharacters] : value;
            await producer.ProduceAsync(settings.DeadLetterTopic, new Message<string, string> { Key = e.Key, Value = kept, Headers = headers }, cancellationToken).ConfigureAwait(false);
            health.DeadLettered();
            ReplicationLog.DeadLettered(logger, e.EventId, e.EventType, e.Key, settings.DeadLetterTopic, reason);
        }
    }

    private static bool RefusedForWhatItIs(Task<DeliveryResult<string, string>> delivery) =>
        delivery.Exception?.InnerException is ProduceException<string, string> { Error.Code: ErrorCode.MsgSizeTooLarge or ErrorCode.InvalidMsg or ErrorCode.InvalidRecord or ErrorCode.RecordListTooLarge or ErrorCode.InvalidMsgSize };

    internal static bool IsMetastoreFailure(Exception ex) =>
        ex is TTransportException or TApplicationException or TProtocolException or SocketException or IOException or TimeoutException
            or FormatException or ObjectDisposedException or MetaException
        || (ex is OperationCanceledException && ex.InnerException is TimeoutException);
}
