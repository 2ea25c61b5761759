namespace Unitization.Replication.Migration;

/// <summary>What an interrupted migration's checkpoint keeps: verified files, and verified chunks of big files not finished yet.</summary>
public sealed record MigrationKept(string CheckpointFolder, int FilesKept, int FilesTotal, long FileBytesKept, long ChunkBytesKept, long BytesTotal)
{
    public long BytesKept => FileBytesKept + ChunkBytesKept;
}
