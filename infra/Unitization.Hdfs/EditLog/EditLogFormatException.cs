namespace Unitization.Hdfs.EditLog;

/// <summary>An edit log segment that is not in the format: the message says what is wrong and at which byte offset.</summary>
public sealed class EditLogFormatException : Exception
{
    public EditLogFormatException()
    {
    }

    public EditLogFormatException(string message)
        : base(message)
    {
    }

    public EditLogFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public EditLogFormatException(string message, long offset)
        : base($"{message} (at byte offset {offset})")
    {
        Offset = offset;
    }

    /// <summary>The byte offset in the segment where the bad data starts, or -1.</summary>
    public long Offset { get; } = -1;
}
