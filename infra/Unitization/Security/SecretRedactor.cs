using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace Unitization.Host.Security;

/// <summary>
/// Replaces the configured secrets (every value under a key naming a password, secret, token or key — API tokens, the
/// client token, SASL and ClickHouse passwords, the TLS certificate password, traffic provenance keys) and the password
/// part of any <c>scheme://user:password@</c> with <c>***</c>, in log lines and <c>/healthz</c>.
/// </summary>
public sealed partial class SecretRedactor
{
    public const string Mask = "***";
    private const int ShortestSecret = 6;
    private readonly string[] _secrets;

    public SecretRedactor(IEnumerable<string> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        // longest first, so a secret that contains another is masked whole
        _secrets = secrets.Where(s => s.Length >= ShortestSecret).Distinct(StringComparer.Ordinal).OrderByDescending(s => s.Length).ToArray();
    }

    public int Count => _secrets.Length;

    /// <summary>The secrets configuration holds: values whose key has a segment naming a secret (not durations such as TokenMaxLifetime).</summary>
    public static SecretRedactor FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var secrets = new List<string>();
        foreach (var (key, value) in configuration.AsEnumerable())
        {
            if (value is { Length: > 0 } && IsSecretKey(key))
            {
                secrets.Add(value);
            }
        }

        return new SecretRedactor(secrets);
    }

    public static bool IsSecretKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        foreach (var segment in key.Split(':'))
        {
            var s = segment.ToUpperInvariant();
            if (s.EndsWith("LIFETIME", StringComparison.Ordinal) || s.EndsWith("INTERVAL", StringComparison.Ordinal) || s.EndsWith("PATH", StringComparison.Ordinal) || s.EndsWith("FILE", StringComparison.Ordinal))
            {
                return false; // durations and file locations are not secrets (a keytab's path is shown, its contents never read into text)
            }
        }

        var upper = key.ToUpperInvariant();
        return upper.Contains("PASSWORD", StringComparison.Ordinal) || upper.Contains("SECRET", StringComparison.Ordinal) || upper.Contains("TOKEN", StringComparison.Ordinal)
            || upper.Contains("PASSPHRASE", StringComparison.Ordinal) || upper.Contains(":KEYS:", StringComparison.Ordinal) || upper.EndsWith(":SHA256", StringComparison.Ordinal);
    }

    public string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var secret in _secrets)
        {
            if (text.Contains(secret, StringComparison.Ordinal))
            {
                text = text.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }

        return text.Contains("://", StringComparison.Ordinal) ? UserInfo().Replace(text, "://$1:" + Mask + "@") : text;
    }

    [GeneratedRegex(@"://([^/\s:@]+):[^/\s@]+@")]
    private static partial Regex UserInfo();
}
