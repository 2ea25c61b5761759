namespace Unitization.Host.Security;

/// <summary>
/// <c>Tls</c>: the certificate Kestrel serves <c>https://</c> URLs with, as a PKCS#12 file (<see cref="CertificatePath"/>
/// + <see cref="CertificatePassword"/>) or PEM (<see cref="CertificatePath"/> + <see cref="KeyPath"/>, the key
/// optionally encrypted with <see cref="CertificatePassword"/>). With a certificate, plain <c>http://</c> URLs are refused
/// at start unless <see cref="AllowHttp"/>; without one, <c>https://</c> URLs are refused and plain HTTP is logged as such.
/// </summary>
public sealed class TlsOptions
{
    public const string SectionName = "Tls";

    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key (when <see cref="CertificatePath"/> is a PEM certificate).</summary>
    public string? KeyPath { get; set; }

    /// <summary>The PKCS#12 password or the PEM key's passphrase (a secret: never logged, never shown).</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>Also serve the configured <c>http://</c> URLs in clear although a certificate is configured.</summary>
    public bool AllowHttp { get; set; }

    public override string ToString() => $"Tls {{ CertificatePath = {CertificatePath}, KeyPath = {KeyPath}, CertificatePassword = {(CertificatePassword is null ? "none" : "***")}, AllowHttp = {AllowHttp} }}";
}
