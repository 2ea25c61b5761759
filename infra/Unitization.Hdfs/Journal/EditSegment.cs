namespace Unitization.Hdfs.Journal;

/// <summary>The bytes of one edit log segment starting at <see cref="FirstTxId"/>; <see cref="InProgress"/> when it is still being written.</summary>
internal sealed record EditSegment(long FirstTxId, bool InProgress, ReadOnlyMemory<byte> Bytes);
