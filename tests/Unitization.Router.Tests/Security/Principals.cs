using System.Security.Claims;

namespace Unitization.Router.Tests.Security;

/// <summary>Authenticated principals as the service's authentication hands them to the gateway: a name and role claims.</summary>
internal static class Principals
{
    public static ClaimsPrincipal Of(string name, params string[] roles) =>
        new(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, name), .. roles.Select(r => new Claim(ClaimTypes.Role, r))],
            "Negotiate",
            ClaimTypes.Name,
            ClaimTypes.Role));
}
