namespace Unitization.Replication.Metastore;

/// <summary>An event that can never be applied (bad JSON, missing field, unusable location): it goes to the dead-letter topic.</summary>
public sealed class MalformedEventException : Exception
{
    public MalformedEventException()
    {
    }

    public MalformedEventException(string message)
        : base(message)
    {
    }

    public MalformedEventException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
