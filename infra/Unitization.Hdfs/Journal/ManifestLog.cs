using System.Text.Json.Serialization;

namespace Unitization.Hdfs.Journal;

/// <summary>One segment of a <see cref="Manifest"/>: its first and last txid (-12345, Hadoop's INVALID_TXID, while in progress).</summary>
internal sealed record ManifestLog(
    [property: JsonPropertyName("startTxId")] long StartTxId,
    [property: JsonPropertyName("endTxId")] long EndTxId,
    [property: JsonPropertyName("isInProgress")] bool IsInProgress);
