namespace Unitization.Throttle.Leases;

/// <summary>A lease request that cannot be served as asked; the message names the field and what is wrong.</summary>
public sealed class LeaseRequestException : Exception
{
    public LeaseRequestException(string message)
        : base(message)
    {
    }

    public LeaseRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public LeaseRequestException()
    {
    }
}
