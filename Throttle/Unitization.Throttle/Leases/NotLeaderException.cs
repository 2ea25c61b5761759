namespace Unitization.Throttle.Leases;

/// <summary>This throttle instance is a standby: the link budgets are held by another instance of the fleet.</summary>
public sealed class NotLeaderException : Exception
{
    public NotLeaderException()
    {
    }

    public NotLeaderException(string message)
        : base(message)
    {
    }

    public NotLeaderException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
