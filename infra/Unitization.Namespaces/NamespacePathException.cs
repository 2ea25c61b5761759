namespace Unitization.Namespaces;

/// <summary>A path that is malformed or would escape the namespace root.</summary>
public sealed class NamespacePathException : ArgumentException
{
    public NamespacePathException(string message, string path)
        : base(message + ": '" + path + "'")
    {
        OffendingPath = path;
    }

    public NamespacePathException()
    {
        OffendingPath = string.Empty;
    }

    public NamespacePathException(string message)
        : base(message)
    {
        OffendingPath = string.Empty;
    }

    public NamespacePathException(string message, Exception innerException)
        : base(message, innerException)
    {
        OffendingPath = string.Empty;
    }

    public string OffendingPath { get; }
}
