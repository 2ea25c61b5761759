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
/// so, and a method the path is not served for a 405 with its <c>Allow</c> header, not a 403 naming the admin role the
/// fallback policy asks for; an anonymous caller still gets the 401.
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

        var endpoint = context.GetEndpoint();
        if (authorizeResult.Forbidden && endpoint is not { Metadata.Count: > 0 })
        {
            // no endpoint (404), or the one routing makes for a path served only for other methods (no metadata: it
            // answers 405 with the Allow header); StatusCodeProblems writes the problem for either
            if (endpoint?.RequestDelegate is { } answer)
            {
                await answer(context).ConfigureAwait(false);
            }
            else
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
            }

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
