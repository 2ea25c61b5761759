namespace Unitization.Namespaces;

/// <summary>
/// A local namespace could not be opened for writing because another process (or instance) holds its writer lock. A
/// process that wants to write waits and tries again (a standby writer); a reader opens the namespace read-only.
/// </summary>
public sealed class NamespaceWriterHeldException : IOException
{
    public NamespaceWriterHeldException()
    {
    }

    public NamespaceWriterHeldException(string message)
        : base(message)
    {
    }

    public NamespaceWriterHeldException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
