using System.Security.Claims;

namespace Unitization.Router.Security;

/// <summary>
/// Who a WebHDFS request acts as: <see cref="User"/> (after <c>doas</c>), <see cref="RealUser"/> when a proxy acts for
/// it, how it was proven (<see cref="Method"/>: the service's scheme, <c>delegation</c> or <c>simple</c>) and the
/// authenticated principal with its role claims (null for delegation-token and simple callers: they carry no roles).
/// </summary>
internal sealed record WebHdfsCaller(string User, string? RealUser, string Method, ClaimsPrincipal? Principal)
{
    public const string Delegation = "delegation";

    public const string Simple = "simple";

    /// <summary>Roles a WebHDFS read needs (any of them) when the caller is a principal of the service.</summary>
    public static readonly string[] ReadRoles = ["reader", "scheduler", "operator", "admin", "service"];

    /// <summary>Who proved it (the proxy when there is one).</summary>
    public string Authenticated => RealUser ?? User;

    public bool IsAdmin => RealUser is null && Principal?.IsInRole("admin") == true;

    public bool HasRole(string role) => RealUser is null && Principal?.IsInRole(role) == true;

    /// <summary>Hadoop's short name of a Kerberos principal: <c>alice@REALM</c> and <c>alice/host@REALM</c> → <c>alice</c>.</summary>
    public static string ShortName(string principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var end = principal.IndexOfAny(['/', '@']);
        return end < 0 ? principal : principal[..end];
    }

    /// <summary>Whether a configured name (full principal, short name or <c>*</c>) names <paramref name="user"/>.</summary>
    public static bool Names(IEnumerable<string> names, string user) =>
        names.Any(n => n == "*" || string.Equals(n, user, StringComparison.Ordinal) || string.Equals(n, ShortName(user), StringComparison.Ordinal));
}
