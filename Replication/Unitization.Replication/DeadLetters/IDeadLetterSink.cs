using Unitization.Replication.Workers;

namespace Unitization.Replication.DeadLetters;

/// <summary>Where a worker parks an event it cannot apply: the dead-letter topic, with the reason.</summary>
internal interface IDeadLetterSink
{
    /// <summary>Completes once the dead letter is durable (acknowledged), so the event's offset may be committed.</summary>
    Task SendAsync(EventRecord record, string reason, CancellationToken cancellationToken);
}
