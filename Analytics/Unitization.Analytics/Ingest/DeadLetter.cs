namespace Unitization.Analytics.Ingest;

/// <summary>A message that is not a valid traffic record: where it was, why, and its bytes as they came.</summary>
internal sealed record DeadLetter(string Topic, int Partition, long Offset, byte[]? Key, byte[] Payload, string Reason);
