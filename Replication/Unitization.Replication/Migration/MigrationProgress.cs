namespace Unitization.Replication.Migration;

/// <summary>A migration's state as the progress bar and <c>GET /api/v1/migrations/{id}</c> show it.</summary>
public sealed record MigrationProgress(
    string Id,
    string Source,
    string Path,
    string Target,
    string Phase,
    int FilesTotal,
    int FilesDone,
    long BytesTotal,
    long BytesDone,
    long SnapshotTxId,
    long? VersionTxId,
    string? Error,
    DateTimeOffset UpdatedAt)
{
    public double Percent => BytesTotal == 0 ? (Phase == MigrationPhase.Done ? 100 : 0) : Math.Round(100.0 * BytesDone / BytesTotal, 1);
}
