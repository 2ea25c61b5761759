namespace Unitization.Replication.Lifecycle;

/// <summary>What one lifecycle sweep did.</summary>
internal sealed class LifecycleSweep
{
    public int Expired { get; set; }

    public int Expiring { get; set; }

    public int Kept { get; set; }

    public int Retired { get; set; }

    /// <summary>Replicas whose step failed in this sweep (logged, retried by the next sweep); the others were swept all the same.</summary>
    public int Failed { get; set; }
}
