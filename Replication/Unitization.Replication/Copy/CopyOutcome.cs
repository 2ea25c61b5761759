using Unitization.Namespaces;

namespace Unitization.Replication.Copy;

internal enum CopyResult
{
    Copied,
    AlreadyFresh,
    SourceMissing,
}

/// <summary>What one replica copy did: the version it published (or found), and what it moved.</summary>
internal sealed record CopyOutcome(CopyResult Result, TxId Version, int Files, long Bytes);
