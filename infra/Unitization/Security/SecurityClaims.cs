using System.Security.Claims;

namespace Unitization.Host.Security;

/// <summary>The identity every scheme produces: a name, how it was proven, and the caller's roles.</summary>
internal static class SecurityClaims
{
    public const string Scheme = "Unitization";

    public static ClaimsPrincipal Principal(string name, string method, IEnumerable<ApiRole> roles)
    {
        var identity = new ClaimsIdentity(method, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.Name, name));
        foreach (var role in roles.Distinct())
        {
            identity.AddClaim(new Claim(ClaimTypes.Role, ApiRoles.Name(role)));
        }

        return new ClaimsPrincipal(identity);
    }

    public static IReadOnlyList<ApiRole> Roles(ClaimsPrincipal user) =>
        user.FindAll(ClaimTypes.Role).Select(c => ApiRoles.TryParse(c.Value, out var r) ? r : ApiRole.None).Where(r => r != ApiRole.None).Distinct().ToList();

    /// <summary>Who the caller is, for logs and the audit ("anonymous" without a credential).</summary>
    public static string NameOf(ClaimsPrincipal? user) =>
        user?.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name : "anonymous";
}
