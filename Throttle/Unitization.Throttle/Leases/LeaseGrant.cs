namespace Unitization.Throttle.Leases;

/// <summary>
/// The answer to a lease request: <see cref="GrantedBytes"/> may be spent within <see cref="TtlMilliseconds"/> of the
/// request being sent (what is left after is dropped). Zero granted means the link had nothing to spare within the
/// service's wait: ask again after <see cref="RetryAfterMilliseconds"/>.
/// </summary>
public sealed record LeaseGrant(string LeaseId, string Link, long GrantedBytes, long TtlMilliseconds, long RetryAfterMilliseconds);
