namespace Unitization.Replication.Metastore;

/// <summary>
/// The metastore serves none of the calls that would answer a lookup (each answered UNKNOWN_METHOD): no retry can
/// help, so the event is dead-lettered with this message instead of being retried forever.
/// </summary>
public sealed class MetastoreCapabilityException : Exception
{
    public MetastoreCapabilityException()
    {
    }

    public MetastoreCapabilityException(string message)
        : base(message)
    {
    }

    public MetastoreCapabilityException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal MetastoreCapabilityException(MetastoreEndpoint endpoint, params string[] methods)
        : base($"The metastore at {endpoint} answers UNKNOWN_METHOD to {string.Join(" and ", methods)}: it cannot be asked for table locations.")
    {
    }
}
