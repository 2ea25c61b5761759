using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Unitization.Host.Security;

/// <summary>
/// The one scheme every endpoint uses. It reads <c>Authorization</c>: <c>Bearer unz_…</c> is an API token (hashed, compared
/// with the stored hashes), any other <c>Bearer</c> a JWT (validated by the JwtBearer handler: issuer, audience, lifetime,
/// signature), <c>Negotiate</c> Kerberos SPNEGO. The principal's roles are the credential's own plus
/// <c>Security:Principals</c>. A challenge answers 401 with the schemes this process accepts.
/// </summary>
internal sealed class UnitizationAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<SecurityOptions> security,
    ApiTokenRegistry tokens) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string JwtScheme = "UnitizationJwt";
    private const string FailureKey = "unitization.auth.failure";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrWhiteSpace(header))
        {
            return AuthenticateResult.NoResult();
        }

        var space = header.IndexOf(' ', StringComparison.Ordinal);
        var scheme = space < 0 ? header : header[..space];
        var credential = space < 0 ? string.Empty : header[(space + 1)..].Trim();
        var result = scheme.ToUpperInvariant() switch
        {
            "BEARER" when credential.StartsWith(ApiTokenText.Prefix, StringComparison.Ordinal) => await ApiTokenAsync(credential).ConfigureAwait(false),
            "BEARER" => await JwtAsync().ConfigureAwait(false),
            "NEGOTIATE" => Negotiate(credential),
            _ => AuthenticateResult.Fail($"the Authorization scheme '{scheme}' is not accepted here (Bearer or Negotiate)"),
        };
        if (result.Failure is { } failure)
        {
            Context.Items[FailureKey] = failure.Message;
        }

        return result;
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        var error = Context.Items[FailureKey] is string ? ", error=\"invalid_token\"" : string.Empty;
        Response.Headers.Append(HeaderNames.WWWAuthenticate, "Bearer realm=\"unitization\"" + error);
        if (security.Value.Kerberos.Enabled)
        {
            Response.Headers.Append(HeaderNames.WWWAuthenticate, "Negotiate");
        }

        return Task.CompletedTask;
    }

    /// <summary>Why the credential was refused, for the 401's problem details (null: none was sent).</summary>
    public static string? FailureOf(HttpContext context) => context.Items[FailureKey] as string;

    private async Task<AuthenticateResult> ApiTokenAsync(string token)
    {
        var found = await tokens.FindAsync(token, Context.RequestAborted).ConfigureAwait(false);
        return found is null
            ? AuthenticateResult.Fail("the API token is not known (or was revoked)")
            : Success("token:" + found.Name, "api-token", found.Roles);
    }

    private async Task<AuthenticateResult> JwtAsync()
    {
        if (string.IsNullOrWhiteSpace(security.Value.Jwt.Issuer))
        {
            return AuthenticateResult.Fail("JWT bearer tokens are not accepted here (Security:Jwt:Issuer is not set)");
        }

        var jwt = await Context.AuthenticateAsync(JwtScheme).ConfigureAwait(false);
        if (!jwt.Succeeded)
        {
            return AuthenticateResult.Fail("the JWT was refused: " + (jwt.Failure?.Message ?? "no token"));
        }

        var principal = jwt.Principal!;
        var name = principal.FindFirstValue(security.Value.Jwt.NameClaim);
        if (string.IsNullOrWhiteSpace(name))
        {
            return AuthenticateResult.Fail($"the JWT has no '{security.Value.Jwt.NameClaim}' claim");
        }

        var roles = principal.FindAll(security.Value.Jwt.RoleClaim)
            .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(r => ApiRoles.TryParse(r, out var role) ? role : ApiRole.None)
            .Where(r => r != ApiRole.None);
        return Success(name, "jwt", roles);
    }

    private AuthenticateResult Negotiate(string token)
    {
        if (!security.Value.Kerberos.Enabled)
        {
            return AuthenticateResult.Fail("Kerberos (Negotiate) is not accepted here (Security:Kerberos:Enabled is false)");
        }

        var result = KerberosAuthenticator.Accept(token);
        if (result.Principal is null)
        {
            return AuthenticateResult.Fail(result.Failure ?? "Kerberos refused the token");
        }

        if (result.ReplyToken is { Length: > 0 } reply)
        {
            Response.Headers.Append(HeaderNames.WWWAuthenticate, "Negotiate " + reply);
        }

        // a principal named in Security:Principals has those roles only; any other one of the realm the default roles
        var named = security.Value.Principals.Any(p => string.Equals(p.Name, result.Principal, StringComparison.Ordinal));
        var defaults = named ? [] : security.Value.Kerberos.DefaultRoles.Select(r => ApiRoles.TryParse(r, out var role) ? role : ApiRole.None);
        return Success(result.Principal, "kerberos", defaults);
    }

    private AuthenticateResult Success(string name, string method, IEnumerable<ApiRole> roles)
    {
        var configured = security.Value.Principals
            .Where(p => string.Equals(p.Name, name, StringComparison.Ordinal))
            .SelectMany(p => p.Roles)
            .Select(r => ApiRoles.TryParse(r, out var role) ? role : ApiRole.None);
        var all = roles.Concat(configured).Where(r => r != ApiRole.None).ToList();
        var principal = SecurityClaims.Principal(name, method, all);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }
}
