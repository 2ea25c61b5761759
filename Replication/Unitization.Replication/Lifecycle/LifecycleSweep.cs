namespace Unitization.Replication.Lifecycle;

/// <summary>What one lifecycle sweep did.</summary>
internal sealed class LifecycleSweep
{
    public int Expired { get; set; }

    public int Expiring { get; set; }

    public int Kept { get; set; }

    public int Retired { get; set; }
}
