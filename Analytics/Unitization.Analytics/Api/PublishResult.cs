namespace Unitization.Analytics.Api;

/// <summary>Answer of <c>POST /api/v1/traffic/records</c>: how many records were queued for the traffic topic, and each refused one with its reason.</summary>
internal sealed record PublishResult(int Accepted, IReadOnlyList<RejectedRecord> Rejected);
