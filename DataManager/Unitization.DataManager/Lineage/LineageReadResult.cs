namespace Unitization.DataManager.Lineage;

/// <summary>How a lineage input went: events taken, events skipped, and why (line or index, and field).</summary>
internal sealed record LineageReadResult(int Accepted, int Skipped, IReadOnlyList<string> Errors)
{
    /// <summary>At most this many error messages are kept; <see cref="Skipped"/> counts them all.</summary>
    public const int MaxErrors = 100;

    /// <summary>Accepted events that were re-sends of a run event stored before (same runId and eventType): they added nothing.</summary>
    public int Duplicates { get; init; }
}
