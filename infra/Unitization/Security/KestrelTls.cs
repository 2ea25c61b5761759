using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Unitization.Host.Hosting;

namespace Unitization.Host.Security;

/// <summary>Loads <see cref="TlsOptions"/>'s certificate and gives it to Kestrel for every <c>https://</c> URL; checks the URLs against it.</summary>
internal static class KestrelTls
{
    /// <summary>
    /// Configures Kestrel; a missing or unreadable certificate, or a URL the settings do not allow, fails naming the key:
    /// plain HTTP is served on loopback, and elsewhere only with <see cref="TlsOptions.AllowHttp"/>.
    /// </summary>
    public static void Configure(IWebHostBuilder webHost, IConfiguration configuration, string urls, string configPath)
    {
        var options = new TlsOptions();
        configuration.GetSection(TlsOptions.SectionName).Bind(options, o => o.ErrorOnUnknownConfiguration = true);
        var list = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var file = Path.GetFullPath(configPath);
        if (options.CertificatePath is not { Length: > 0 })
        {
            if (list.Any(u => u.StartsWith("https://", StringComparison.OrdinalIgnoreCase)))
            {
                throw new ConfigurationFileException($"{file}: Tls:CertificatePath: an https:// URL ({string.Join(", ", list)}) needs a certificate");
            }

            // credentials in clear never leave the host on loopback; anywhere else plain HTTP is an explicit choice
            if (!options.AllowHttp && list.FirstOrDefault(u => IsPlainHttp(u) && !IsLoopback(u)) is { } exposed)
            {
                throw new ConfigurationFileException($"{file}: Tls:CertificatePath: {exposed} would carry credentials in clear beyond this host; configure a certificate and an https:// URL, or set Tls:AllowHttp to true");
            }

            return;
        }

        if (!options.AllowHttp && list.FirstOrDefault(u => u.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) is { } plain)
        {
            throw new ConfigurationFileException($"{file}: Tls:AllowHttp: a certificate is configured, so {plain} would serve credentials in clear; use https:// or set Tls:AllowHttp to true");
        }

        var certificate = Load(options, file);
        webHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate));
    }

    private static bool IsPlainHttp(string url) => url.StartsWith("http://", StringComparison.OrdinalIgnoreCase);

    /// <summary>localhost, 127.0.0.0/8 or ::1; a wildcard (<c>*</c>, <c>+</c>, <c>0.0.0.0</c>, <c>[::]</c>) or a name is not.</summary>
    private static bool IsLoopback(string url)
    {
        var rest = url["http://".Length..];
        var end = rest.IndexOfAny(['/', '?']);
        var authority = end < 0 ? rest : rest[..end];
        var host = authority.StartsWith('[') ? authority[..(authority.IndexOf(']', StringComparison.Ordinal) + 1)] : authority.Split(':')[0];
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var address) && System.Net.IPAddress.IsLoopback(address));
    }

    public static X509Certificate2 Load(TlsOptions options, string file)
    {
        ArgumentNullException.ThrowIfNull(options);
        var path = options.CertificatePath!;
        try
        {
            if (options.KeyPath is { Length: > 0 } keyPath)
            {
                using var pem = options.CertificatePassword is { Length: > 0 } passphrase
                    ? X509Certificate2.CreateFromEncryptedPemFile(path, passphrase, keyPath)
                    : X509Certificate2.CreateFromPemFile(path, keyPath);
                // an ephemeral PEM key cannot back a TLS server on every platform: carry it as PKCS#12
                return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
            }

            var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, options.CertificatePassword);
            return certificate.HasPrivateKey ? certificate : throw new ConfigurationFileException($"{file}: Tls:CertificatePath: {path} holds no private key");
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            // the reason without the password: a wrong password and a damaged file read alike from here
            throw new ConfigurationFileException($"{file}: Tls:CertificatePath: cannot load {path}{(options.KeyPath is { Length: > 0 } k ? $" with key {k}" : string.Empty)}: {ex.Message}");
        }
    }
}
