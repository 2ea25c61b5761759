namespace Unitization.Analytics.Api;

/// <summary>Progress of the traffic ingest (<c>GET /api/v1/traffic/ingest</c>).</summary>
internal sealed record IngestView(long Consumed, long Stored, long Duplicates, long DeadLettered, long Spooled, int PendingSpoolFiles, DateTimeOffset? LastStoredAt, string? LastError,
    string? KafkaError, DateTimeOffset? KafkaLastSuccess);
