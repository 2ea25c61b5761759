using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace Unitization.Host.Security;

/// <summary>
/// The requirement on one endpoint: the least role of the people's ladder that may call it, whether the roles' own
/// service principals may too, and, for an endpoint whose reads and writes share a route (WebHDFS), the least role for
/// its writes (<see cref="OpenReads"/>: its reads opened to anonymous callers by <c>Security:AllowAnonymousRead</c>).
/// <see cref="SchedulerToWait"/>: a placement query asking to wait (<c>waitSeconds</c>) needs <c>scheduler</c>.
/// <see cref="GatewayCredentials"/>: a caller without an Authorization header that brings WebHDFS's own credential
/// (<c>delegation=</c>, or <c>user.name</c> for the gateway's insecure mode) is let through to the gateway, which
/// authenticates and authorizes it itself (Router's <c>WebHdfsGuard</c>).
/// </summary>
internal sealed record ApiAccess(ApiRole Minimum, bool Service = false, ApiRole? Writes = null, bool SchedulerToWait = false, bool OpenReads = false, bool GatewayCredentials = false) : IAuthorizationRequirement
{
    public string PolicyName => $"{ApiRoles.Name(Minimum)}{(Service ? "+service" : string.Empty)}{(Writes is { } w ? "/writes:" + ApiRoles.Name(w) : string.Empty)}{(SchedulerToWait ? "/wait:scheduler" : string.Empty)}";

    /// <summary>The least role this request needs (a write through a shared route, a query that waits).</summary>
    public ApiRole MinimumFor(string method, IQueryCollection query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var role = Minimum;
        // renewing or cancelling one's own delegation token is a PUT but writes nothing: the gateway checks renewer and owner
        var tokenCall = GatewayCredentials && query.TryGetValue("op", out var op)
            && (string.Equals(op, "RENEWDELEGATIONTOKEN", StringComparison.OrdinalIgnoreCase) || string.Equals(op, "CANCELDELEGATIONTOKEN", StringComparison.OrdinalIgnoreCase));
        if (Writes is { } writes && !tokenCall && !HttpMethods.IsGet(method) && !HttpMethods.IsHead(method) && !HttpMethods.IsOptions(method))
        {
            role = writes;
        }

        if (SchedulerToWait && query.TryGetValue("waitSeconds", out var wait) && wait.ToString() is { Length: > 0 } text
            && !(double.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds == 0) && role < ApiRole.Scheduler)
        {
            role = ApiRole.Scheduler;
        }

        return role;
    }

    /// <summary>Whether this request is a read (GET or HEAD).</summary>
    public static bool IsRead(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method);

    /// <summary>Whether a caller with <paramref name="roles"/> may make this request.</summary>
    public bool Allows(IReadOnlyCollection<ApiRole> roles, ApiRole needed)
    {
        ArgumentNullException.ThrowIfNull(roles);
        if (roles.Any(r => r != ApiRole.Service && r >= needed))
        {
            return true;
        }

        // the roles' own principals read everything and call what is marked for them
        return roles.Contains(ApiRole.Service) && (needed == ApiRole.Reader || Service);
    }
}
