using System.Security.Cryptography;
using System.Text;

namespace Unitization.Host.Security;

/// <summary>
/// API tokens: <c>unz_</c> and 43 base64url characters (32 random bytes). Only their SHA-256 is stored; a presented
/// token is hashed and compared with each stored hash in constant time.
/// </summary>
public static class ApiTokenText
{
    public const string Prefix = "unz_";

    public static string Create() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Sha256Hex(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
    }

    /// <summary>Constant-time comparison of two hex digests (case-insensitive).</summary>
    public static bool SameHash(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(a.ToLowerInvariant()), Encoding.ASCII.GetBytes(b.ToLowerInvariant()));
    }
}
