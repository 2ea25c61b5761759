using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace Unitization.Host.Security;

/// <summary>Decides an <see cref="ApiAccess"/> requirement from the caller's roles and the request.</summary>
internal sealed class ApiAccessHandler : AuthorizationHandler<ApiAccess>
{
    public const string NeededKey = "unitization.auth.needed";

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ApiAccess requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(requirement);
        if (context.Resource is not HttpContext http)
        {
            return Task.CompletedTask;
        }

        if (requirement.GatewayCredentials && context.User.Identity?.IsAuthenticated != true
            && (http.Request.Query.ContainsKey("delegation") || http.Request.Query.ContainsKey("user.name")))
        {
            context.Succeed(requirement); // the WebHDFS gateway verifies the token (or refuses user.name) itself
            return Task.CompletedTask;
        }

        if (requirement.OpenReads && ApiAccess.IsRead(http.Request.Method))
        {
            context.Succeed(requirement);
            return Task.CompletedTask;
        }

        var needed = requirement.MinimumFor(http.Request.Method, http.Request.Query);
        http.Items[NeededKey] = requirement.Service && needed != ApiRole.Reader ? $"{ApiRoles.Name(needed)} or service" : ApiRoles.Name(needed);
        if (context.User.Identity?.IsAuthenticated == true && requirement.Allows(SecurityClaims.Roles(context.User), needed))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
