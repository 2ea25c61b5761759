using System.ComponentModel.DataAnnotations;

namespace Unitization.Host.Security;

/// <summary>JWT bearer validation: issuer, audience and signing keys (or the issuer's OIDC metadata).</summary>
public sealed class JwtOptions
{
    public string Issuer { get; set; } = string.Empty;

    public string Audience { get; set; } = string.Empty;

    /// <summary>The issuer's <c>.well-known/openid-configuration</c>, for keys that rotate (optional).</summary>
    public string MetadataAddress { get; set; } = string.Empty;

    public IList<JwtSigningKey> SigningKeys { get; } = [];

    /// <summary>The claim holding the caller's roles.</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>The claim naming the caller.</summary>
    public string NameClaim { get; set; } = "sub";

    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(1);
}
