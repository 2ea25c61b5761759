using Unitization.Namespaces;

namespace Unitization.Router.Versions;

/// <summary>
/// The answer for one replica and path: the verdict, the primary's last txid under the path, the replica's version,
/// and how far the primary's edit log has been followed (<see cref="Followed"/> of <see cref="PrimaryLastTxId"/>).
/// </summary>
public readonly record struct FreshnessCheck(FreshnessVerdict Verdict, TxId PrimaryVersion, TxId? ReplicaVersion, TxId Followed, TxId PrimaryLastTxId)
{
    public bool IsFresh => Verdict == FreshnessVerdict.Fresh;

    /// <summary>
    /// The replica looked fresh against a primary that learns its writes by polling (HDFS): it may serve once a
    /// catch-up (<see cref="VersionService.CheckAsync"/>) confirms it.
    /// </summary>
    public bool NeedsCatchUp { get; init; }
}
