namespace Unitization.Replication.DeadLetters;

/// <summary>The headers a dead letter carries beside the event's own key and value.</summary>
internal static class DeadLetterHeaders
{
    /// <summary>Why the event was parked (what failed, and for a transient failure how long it was retried).</summary>
    public const string Reason = "unitization-dlq-reason";

    /// <summary>Where it was read: <c>topic/partition/offset</c> of the events topic.</summary>
    public const string Source = "unitization-source";

    /// <summary>On a replayed event: the dead letter it was replayed from (<c>partition-offset</c> of the dead-letter topic).</summary>
    public const string ReplayOf = "unitization-replay-of";
}
