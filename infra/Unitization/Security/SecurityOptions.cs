using System.ComponentModel.DataAnnotations;

namespace Unitization.Host.Security;

/// <summary>
/// The <c>Security</c> section: who may call the API (API tokens, JWTs from an OIDC issuer, Kerberos SPNEGO), what role
/// each principal has, which read endpoints an operator opens to anonymous callers, and the credential this process
/// presents when it calls another role. Every endpoint but <c>/healthz</c> requires an identity.
/// </summary>
public sealed class SecurityOptions : IValidatableObject
{
    public const string SectionName = "Security";

    /// <summary>Static API tokens for automation: name, roles and the SHA-256 (hex) of the token; never the token itself.</summary>
    public IList<ApiTokenEntry> ApiTokens { get; } = [];

    /// <summary>Roles of principals by name (a Kerberos principal <c>alice@REALM</c>, a JWT subject, <c>token:NAME</c>).</summary>
    public IList<PrincipalRoles> Principals { get; } = [];

    /// <summary>JWT bearer tokens from an OIDC issuer; off while <see cref="JwtOptions.Issuer"/> is empty.</summary>
    public JwtOptions Jwt { get; set; } = new();

    /// <summary>Kerberos SPNEGO (<c>Authorization: Negotiate</c>); off until <see cref="KerberosOptions.Enabled"/>.</summary>
    public KerberosOptions Kerberos { get; set; } = new();

    /// <summary>
    /// Read endpoints (GET) opened to callers without a credential, by route: an exact route (<c>/api/v1/traffic/top</c>)
    /// or a prefix ending in <c>/**</c> (<c>/analytics/**</c>). Empty by default: nothing but <c>/healthz</c> is open.
    /// </summary>
    public IList<string> AllowAnonymousRead { get; } = [];

    /// <summary>The credential this process presents when it calls another role (throttle leases, replication rules, ...).</summary>
    public ServiceClientOptions Client { get; set; } = new();

    /// <summary>The audit log of mutating and denied calls.</summary>
    public AuditOptions Audit { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < ApiTokens.Count; i++)
        {
            var token = ApiTokens[i];
            if (string.IsNullOrWhiteSpace(token.Name))
            {
                yield return new ValidationResult($"ApiTokens:{i}:Name is required", [nameof(ApiTokens)]);
            }

            if (token.Sha256 is null || token.Sha256.Length != 64 || !token.Sha256.All(Uri.IsHexDigit))
            {
                yield return new ValidationResult($"ApiTokens:{i}:Sha256 must be the 64 hex digits of the token's SHA-256 (unitization tokens hash TOKEN prints it)", [nameof(ApiTokens)]);
            }

            foreach (var problem in ApiRoles.Problems(token.Roles, $"ApiTokens:{i}:Roles"))
            {
                yield return new ValidationResult(problem, [nameof(ApiTokens)]);
            }
        }

        for (var i = 0; i < Principals.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(Principals[i].Name))
            {
                yield return new ValidationResult($"Principals:{i}:Name is required", [nameof(Principals)]);
            }

            foreach (var problem in ApiRoles.Problems(Principals[i].Roles, $"Principals:{i}:Roles"))
            {
                yield return new ValidationResult(problem, [nameof(Principals)]);
            }
        }

        if (!string.IsNullOrWhiteSpace(Jwt.Issuer))
        {
            if (string.IsNullOrWhiteSpace(Jwt.Audience))
            {
                yield return new ValidationResult("Jwt:Audience is required when Jwt:Issuer is set", [nameof(Jwt)]);
            }

            if (Jwt.SigningKeys.Count == 0 && string.IsNullOrWhiteSpace(Jwt.MetadataAddress))
            {
                yield return new ValidationResult("Jwt:SigningKeys or Jwt:MetadataAddress is required when Jwt:Issuer is set", [nameof(Jwt)]);
            }

            for (var i = 0; i < Jwt.SigningKeys.Count; i++)
            {
                var key = Jwt.SigningKeys[i];
                if (string.IsNullOrWhiteSpace(key.Symmetric) == string.IsNullOrWhiteSpace(key.PublicKeyPem))
                {
                    yield return new ValidationResult($"Jwt:SigningKeys:{i}: set exactly one of Symmetric (base64) or PublicKeyPem", [nameof(Jwt)]);
                }
            }
        }

        foreach (var route in AllowAnonymousRead)
        {
            if (string.IsNullOrWhiteSpace(route) || route[0] != '/')
            {
                yield return new ValidationResult($"AllowAnonymousRead: '{route}' must be a route starting with '/'", [nameof(AllowAnonymousRead)]);
            }
        }
    }
}
