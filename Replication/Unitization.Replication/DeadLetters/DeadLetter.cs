namespace Unitization.Replication.DeadLetters;

/// <summary>
/// One parked event as <c>dead-letters list</c> shows it. <paramref name="Id"/> is <c>partition-offset</c> in the
/// dead-letter topic (what <c>replay</c> takes); <paramref name="Source"/> where the event was read
/// (<c>topic/partition/offset</c>, or <c>hms/eventId</c> for one the events topic refused); <paramref name="EventId"/>
/// and <paramref name="EventType"/> when the value is an event envelope; <paramref name="Value"/> the record as parked.
/// </summary>
public sealed record DeadLetter(
    string Id,
    DateTimeOffset DeadLetteredAt,
    string? Key,
    string Reason,
    string? Source,
    long? EventId,
    string? EventType,
    string? ReplayOf,
    string Value);
