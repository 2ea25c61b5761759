namespace Unitization.DataManager.Readiness;

/// <summary>No freshness source could answer (every configured router unreachable or failing): readiness is unknown.</summary>
public sealed class FreshnessUnavailableException : Exception
{
    public FreshnessUnavailableException()
    {
    }

    public FreshnessUnavailableException(string message)
        : base(message)
    {
    }

    public FreshnessUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
