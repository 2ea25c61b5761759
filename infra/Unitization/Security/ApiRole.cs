namespace Unitization.Host.Security;

/// <summary>
/// What a caller may do. The people's roles are ordered, each holding the ones below it: <c>reader</c> (resolve,
/// WebHDFS reads, placement reads), <c>scheduler</c> (+ placement queries that wait, ad-hoc placement, lineage),
/// <c>operator</c> (+ migrations, caps, refresh, apply), <c>admin</c> (+ mounts, link rates, tokens, audit).
/// <c>service</c> is the roles' own principals calling each other: reads, plus the endpoints marked for services.
/// </summary>
public enum ApiRole
{
    None = 0,
    Reader = 1,
    Scheduler = 2,
    Operator = 3,
    Admin = 4,
    Service = 100,
}
