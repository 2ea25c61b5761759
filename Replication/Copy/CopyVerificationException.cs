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
}
