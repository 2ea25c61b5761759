namespace Unitization.Host.Security;

/// <summary>One key a JWT may be signed with: a shared secret (HMAC) or an RSA/EC public key.</summary>
public sealed class JwtSigningKey
{
    public string KeyId { get; set; } = string.Empty;

    /// <summary>Base64 of an HMAC key (HS256).</summary>
    public string Symmetric { get; set; } = string.Empty;

    /// <summary>A PEM public key (RS256/ES256).</summary>
    public string PublicKeyPem { get; set; } = string.Empty;
}
