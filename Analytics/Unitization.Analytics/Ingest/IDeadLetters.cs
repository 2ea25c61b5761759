namespace Unitization.Analytics.Ingest;

/// <summary>Where malformed traffic messages go, with the reason, so the stream goes on and nothing is silently lost.</summary>
internal interface IDeadLetters
{
    /// <summary>Completes when the dead letter is durable (the consumer commits past the message only then).</summary>
    Task SendAsync(DeadLetter letter, CancellationToken cancellationToken);
}
