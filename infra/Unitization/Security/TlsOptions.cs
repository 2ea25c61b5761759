namespace Unitization.Host.Security;

/// <summary>
/// <c>Tls</c>: the certificate Kestrel serves <c>https://</c> URLs with, as a PKCS#12 file (<see cref="CertificatePath"/>
/// + <see cref="CertificatePassword"/>) or PEM (<see cref="CertificatePath"/> + <see cref="KeyPath"/>, the key
/// optionally encrypted with <see cref="CertificatePassword"/>). Plain <c>http://</c> URLs are refused at start unless
/// <see cref="AllowHttp"/>, except on loopback when no certificate is configured (the embedded single-host setup);
/// without a certificate, <c>https://</c> URLs are refused.
/// </summary>
public sealed class TlsOptions
{
    public const string SectionName = "Tls";

    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key (when <see cref="CertificatePath"/> is a PEM certificate).</summary>
    public string? KeyPath { get; set; }

    /// <summary>The PKCS#12 password or the PEM key's passphrase (a secret: never logged, never shown).</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>Serve the configured <c>http://</c> URLs in clear: beside a certificate, or on an address other than loopback.</summary>
    public bool AllowHttp { get; set; }

    public override string ToString() => $"Tls {{ CertificatePath = {CertificatePath}, KeyPath = {KeyPath}, CertificatePassword = {(CertificatePassword is null ? "none" : "***")}, AllowHttp = {AllowHttp} }}";
}
