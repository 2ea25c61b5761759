namespace Unitization.Replication.Copy;

/// <summary>A staged file does not match its source (size or checksum), or the source changed during the copy; retried.</summary>
public sealed class CopyVerificationException : IOException
{
    public CopyVerificationException()
    {
    }

    public CopyVerificationException(string message)
        : base(message)
    {
    }

    public CopyVerificationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// True when the source differed from its listing (a write after the listing), which a later copy or a migration's
    /// catch-up settles; false when the target stored something other than the bytes it was given.
    /// </summary>
    public bool SourceChanged { get; init; }
}
