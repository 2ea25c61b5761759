using Unitization.Replication.DeadLetters;
using Unitization.Replication.Workers;

namespace Unitization.Replication.Tests.Fakes;

/// <summary>Keeps the dead letters sent to it; fails the first <see cref="FailFirst"/> sends as a broker that is down would.</summary>
internal sealed class RecordingDeadLetters : IDeadLetterSink
{
    public List<(EventRecord Record, string Reason)> Sent { get; } = [];

    public int FailFirst { get; set; }

    public int Attempts { get; private set; }

    public Task SendAsync(EventRecord record, string reason, CancellationToken cancellationToken)
    {
        Attempts++;
        if (Attempts <= FailFirst)
        {
            return Task.FromException(new Confluent.Kafka.KafkaException(Confluent.Kafka.ErrorCode.Local_AllBrokersDown));
        }

        Sent.Add((record, reason));
        return Task.CompletedTask;
    }
}
