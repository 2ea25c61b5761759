namespace Unitization.Replication.Workers;

internal enum ReplicaActionKind
{
    Copy,
    Delete,
}

/// <summary>What one event asks of every target of its rule: copy a path from the primary, or delete its replica.</summary>
internal sealed record ReplicaAction(ReplicaActionKind Kind, string Path);
