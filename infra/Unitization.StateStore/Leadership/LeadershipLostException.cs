namespace Unitization.StateStore.Leadership;

/// <summary>This process no longer holds the lease it acted under: another was elected, or the lease ran out.</summary>
public sealed class LeadershipLostException : Exception
{
    public LeadershipLostException()
    {
    }

    public LeadershipLostException(string message)
        : base(message)
    {
    }

    public LeadershipLostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
