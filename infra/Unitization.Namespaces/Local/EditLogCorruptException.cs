namespace Unitization.Namespaces.Local;

/// <summary>
/// An edit log that holds a bad frame before something that still decodes as a frame: corruption, not a torn last
/// write, so the open is refused and nothing is dropped. <see cref="Offset"/> is where the bad frame starts,
/// <see cref="NextFrameOffset"/> where the next valid frame starts (null when the bad bytes are the file's header or a
/// frame whose checksum matched but whose content is wrong). <c>unitization fs recover</c> resolves it.
/// </summary>
public sealed class EditLogCorruptException : IOException
{
    public EditLogCorruptException()
    {
        LogPath = string.Empty;
        Reason = string.Empty;
    }

    public EditLogCorruptException(string message)
        : base(message)
    {
        LogPath = string.Empty;
        Reason = string.Empty;
    }

    public EditLogCorruptException(string message, Exception innerException)
        : base(message, innerException)
    {
        LogPath = string.Empty;
        Reason = string.Empty;
    }

    internal EditLogCorruptException(string logPath, long offset, string reason, long expectedTxId, long? nextFrameOffset, string? namespaceName = null)
        : base(
            $"The edit log '{logPath}' is corrupt at byte {offset}: {reason}" +
            (nextFrameOffset is { } next ? $", and a valid edit follows at byte {next}, so this is not a torn last write" : string.Empty) +
            $". Nothing was dropped; stop the service and run 'unitization fs recover --namespace {namespaceName ?? "<id>"}' to truncate the log at this offset or skip the bad frame.")
    {
        LogPath = logPath;
        Offset = offset;
        Reason = reason;
        ExpectedTxId = expectedTxId;
        NextFrameOffset = nextFrameOffset;
    }

    /// <summary>The edit log file.</summary>
    public string LogPath { get; }

    /// <summary>Where the bad bytes start.</summary>
    public long Offset { get; }

    /// <summary>What is wrong there.</summary>
    public string Reason { get; }

    /// <summary>The txid the frame at <see cref="Offset"/> should have carried (every frame before it is intact).</summary>
    public long ExpectedTxId { get; }

    /// <summary>Where the next frame that decodes starts, when one does.</summary>
    public long? NextFrameOffset { get; }
}
