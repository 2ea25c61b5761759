namespace Unitization.Router.Versions;

/// <summary>Whether a replica may serve a read of a path.</summary>
public enum FreshnessVerdict
{
    /// <summary>The replica's version is not older than the primary's last txid under the path.</summary>
    Fresh,

    /// <summary>The primary changed the path after the txid the replica was copied at.</summary>
    Stale,

    /// <summary>Replication has recorded no version for the replica (never copied, or removed).</summary>
    NoReplicaVersion,

    /// <summary>The version service has not yet read the primary's edit log up to its last txid.</summary>
    CatchingUp,
}
