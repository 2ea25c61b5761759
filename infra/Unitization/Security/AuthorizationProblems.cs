using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Unitization.Host.Http;

namespace Unitization.Host.Security;

/// <summary>
/// A refused call gets a problem that says what to do: 401 names the missing or refused credential (and the
/// <c>WWW-Authenticate</c> schemes), 403 the caller, its roles and the role the endpoint needs. A path no endpoint of
/// this process serves (another role's API, asked of a fleet's process without that role; a typo) is a 404 that says
/// so, not a 403 naming the admin role its fallback policy asks for; an anonymous caller still gets the 401.
/// </summary>
internal sealed class AuthorizationProblems : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(authorizeResult);
        if (authorizeResult.Challenged)
        {
            await context.ChallengeAsync(SecurityClaims.Scheme).ConfigureAwait(false);
            var why = UnitizationAuthenticationHandler.FailureOf(context)
                ?? "no credential: send 'Authorization: Bearer TOKEN' (an API token or a JWT) or 'Authorization: Negotiate' (Kerberos)";
            await RequestProblems.WriteAsync(context, StatusCodes.Status401Unauthorized, "Authorization", why).ConfigureAwait(false);
            return;
        }

        if (authorizeResult.Forbidden && context.GetEndpoint() is null)
        {
            var message = $"{context.Request.Method} {context.Request.Path}: no endpoint of this process serves it " +
                "(GET /healthz lists the roles it runs; in a fleet each role's API is on that role's processes)";
            await RequestProblems.WriteAsync(context, StatusCodes.Status404NotFound, "Path", message).ConfigureAwait(false);
            return;
        }

        if (authorizeResult.Forbidden)
        {
            var roles = SecurityClaims.Roles(context.User);
            var needed = context.Items[ApiAccessHandler.NeededKey] as string ?? "a higher role";
            var message = $"{SecurityClaims.NameOf(context.User)} (roles: {(roles.Count == 0 ? "none" : string.Join(", ", roles.Select(ApiRoles.Name)))}) " +
                $"may not {context.Request.Method} {context.Request.Path}: it needs {needed}";
            await RequestProblems.WriteAsync(context, StatusCodes.Status403Forbidden, "Authorization", message).ConfigureAwait(false);
            return;
        }

        await _default.HandleAsync(next, context, policy, authorizeResult).ConfigureAwait(false);
    }
}
