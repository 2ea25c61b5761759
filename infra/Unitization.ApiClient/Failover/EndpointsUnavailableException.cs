namespace Unitization.ApiClient.Failover;

/// <summary>No instance of a service answered (<see cref="FailoverEndpoints"/>); the message names each one's failure.</summary>
public sealed class EndpointsUnavailableException : HttpRequestException
{
    public EndpointsUnavailableException()
    {
    }

    public EndpointsUnavailableException(string message)
        : base(message)
    {
    }

    public EndpointsUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
