using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Unitization.Kafka;
using Unitization.Namespaces.Configuration;
using Unitization.StateStore;

namespace Unitization.Host.Security.Audit;

/// <summary>
/// Drains <see cref="AuditLog"/> in batches: each batch in one state-store transaction (retried until it is written),
/// then, when <c>Security:Audit:Topic</c> names one, to that Kafka topic (one JSON message per record, keyed by the
/// principal). Kafka is a copy for streaming consumers; the state store is the log <c>GET /api/v1/audit</c> reads.
/// </summary>
internal sealed class AuditWriter(
    AuditLog log,
    IStateDatabase state,
    IOptions<SecurityOptions> security,
    IOptions<KafkaOptions> kafka,
    IOptions<TopologyOptions> topology,
    TimeProvider time,
    ILogger<AuditWriter> logger) : BackgroundService
{
    private const int BatchSize = 500;
    private IProducer<string, string>? _producer;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        log.Complete();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        _producer?.Flush(TimeSpan.FromSeconds(5));
        _producer?.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<AuditRecord>(BatchSize);
        // after stop is asked, what is queued is still written (the reader completes once the queue is empty)
        while (await log.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            while (batch.Count < BatchSize && log.Reader.TryRead(out var record))
            {
                batch.Add(record);
            }

            await StoreAsync(batch, stoppingToken).ConfigureAwait(false);
            Produce(batch);
            batch.Clear();
        }
    }

    private async Task StoreAsync(List<AuditRecord> batch, CancellationToken stoppingToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await using var connection = await state.OpenAsync(CancellationToken.None).ConfigureAwait(false);
                await AuditStore.AppendAsync(connection, batch, CancellationToken.None).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or IOException)
            {
                SecurityLog.AuditStoreFailed(logger, batch.Count, ex.Message);
                if (stoppingToken.IsCancellationRequested && attempt >= 3)
                {
                    return;
                }

                await Task.Delay(TimeSpan.FromSeconds(Math.Min(5, 1 + attempt)), time, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private void Produce(List<AuditRecord> batch)
    {
        var topic = security.Value.Audit.Topic;
        if (string.IsNullOrWhiteSpace(topic))
        {
            return;
        }

        try
        {
            _producer ??= new ProducerBuilder<string, string>(new ProducerConfig
            {
                BootstrapServers = KafkaBootstrap.Resolve(kafka.Value, Path.GetFullPath(topology.Value.DataFolder)),
                ClientId = "unitization-audit",
                LingerMs = 50,
            }).Build();
            foreach (var record in batch)
            {
                _producer.Produce(topic, new Message<string, string> { Key = record.Principal, Value = JsonSerializer.Serialize(record, JsonSerializerOptions.Web) }, report =>
                {
                    if (report.Error.IsError)
                    {
                        SecurityLog.AuditKafkaFailed(logger, topic, report.Error.Reason);
                    }
                });
            }
        }
        catch (Exception ex) when (ex is KafkaException or InvalidOperationException)
        {
            SecurityLog.AuditKafkaFailed(logger, topic, ex.Message);
        }
    }
}
