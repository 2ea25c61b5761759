namespace Unitization.Replication.Workers;

/// <summary>How a worker settled one event; after any of these its offset is committed.</summary>
internal enum EventOutcome
{
    /// <summary>Applied (or nothing to do: no rule for its table, an event type the replicator does not act on).</summary>
    Applied,

    /// <summary>Its table is gone from HMS already; the DROP event that follows removes the replica.</summary>
    Skipped,

    /// <summary>Sent to the dead-letter topic with its reason.</summary>
    DeadLettered,
}
