using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Unitization.Host.Hosting;
using Unitization.TestUtils;

namespace Unitization.IntegrationTests.Security;

/// <summary>Kestrel serves HTTPS with a configured certificate (PKCS#12 with a password, or PEM); plain HTTP only when configured so.</summary>
public sealed class KestrelTlsTests : IDisposable
{
    private const string Password = "tls-test-pfx-password-7781";
    private readonly TempDirectory _data = new("tls");

    public void Dispose() => _data.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A self-signed server certificate for 127.0.0.1, written as a password-protected .pfx and as PEM certificate + key.</summary>
    private (X509Certificate2 Certificate, string Pfx, string PemCertificate, string PemKey) SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=unitization-test", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = DateTimeOffset.UtcNow;
        var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        var pfx = _data.Combine("server.pfx");
        File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pkcs12, Password));
        var pemCertificate = _data.Combine("server.crt");
        var pemKey = _data.Combine("server.key");
        File.WriteAllText(pemCertificate, certificate.ExportCertificatePem());
        File.WriteAllText(pemKey, key.ExportPkcs8PrivateKeyPem());
        return (certificate, pfx, pemCertificate, pemKey);
    }

    private ServeSettings Settings(string urls, Dictionary<string, string?> tls) =>
        new(RepositoryPaths.ShippedConfig, Role.Throttle, urls, "127.0.0.1:9", _data.Path, tls);

    [Theory]
    [InlineData("pfx")]
    [InlineData("pem")]
    public async Task Serve_HttpsWithConfiguredCertificate_HealthzOverTlsWithThatCertificate(string format)
    {
        var (certificate, pfx, pemCertificate, pemKey) = SelfSigned();
        var tls = format == "pfx"
            ? new Dictionary<string, string?> { ["Tls:CertificatePath"] = pfx, ["Tls:CertificatePassword"] = Password }
            : new Dictionary<string, string?> { ["Tls:CertificatePath"] = pemCertificate, ["Tls:KeyPath"] = pemKey };
        var app = UnitizationHost.Build(Settings("https://127.0.0.1:0", tls));
        await app.StartAsync(Ct);
        try
        {
            string? seen = null;
            using var handler = new HttpClientHandler
            {
                // trust exactly the configured self-signed certificate
                ServerCertificateCustomValidationCallback = (_, served, _, _) => (seen = served?.Thumbprint) == certificate.Thumbprint,
            };
            using var http = new HttpClient(handler) { BaseAddress = new Uri(app.Urls.First()) };
            using var response = await http.GetAsync(new Uri("/healthz", UriKind.Relative), Ct);

            Assert.StartsWith("https://", app.Urls.First(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(certificate.Thumbprint, seen);
        }
        finally
        {
            await app.StopAsync(Ct);
            await app.DisposeAsync();
        }
    }

    [Fact]
    public void Serve_CertificateAndAPlainHttpUrl_RefusedUnlessAllowHttp()
    {
        var (_, pfx, _, _) = SelfSigned();
        var tls = new Dictionary<string, string?> { ["Tls:CertificatePath"] = pfx, ["Tls:CertificatePassword"] = Password };

        var error = Assert.Throws<ConfigurationFileException>(() => UnitizationHost.Build(Settings("http://127.0.0.1:0", tls)));

        Assert.Contains("Tls:AllowHttp", error.Message, StringComparison.Ordinal);
        tls["Tls:AllowHttp"] = "true";
        using var allowed = (IDisposable)UnitizationHost.Build(Settings("http://127.0.0.1:0", tls));
    }

    [Theory]
    [InlineData("http://0.0.0.0:0")]
    [InlineData("http://*:0")]
    [InlineData("http://[::]:0")]
    [InlineData("http://10.1.0.7:0")]
    public void Serve_PlainHttpBeyondLoopbackWithoutCertificate_RefusedUnlessAllowHttp(string url)
    {
        var error = Assert.Throws<ConfigurationFileException>(() => UnitizationHost.Build(Settings(url, [])));

        Assert.Contains("Tls:AllowHttp", error.Message, StringComparison.Ordinal);
        Assert.Contains(url, error.Message, StringComparison.Ordinal);
        using var allowed = (IDisposable)UnitizationHost.Build(Settings(url, new() { ["Tls:AllowHttp"] = "true" }));
    }

    [Theory]
    [InlineData("http://127.0.0.1:0")]
    [InlineData("http://localhost:0")]
    [InlineData("http://[::1]:0")]
    public void Serve_PlainHttpOnLoopbackWithoutCertificate_Served(string url)
    {
        using var app = (IDisposable)UnitizationHost.Build(Settings(url, []));
    }

    [Fact]
    public void Serve_HttpsUrlWithoutCertificate_RefusedNamingTheKey()
    {
        var error = Assert.Throws<ConfigurationFileException>(() => UnitizationHost.Build(Settings("https://127.0.0.1:0", [])));

        Assert.Contains("Tls:CertificatePath", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_WrongCertificatePassword_RefusedWithoutThePassword()
    {
        var (_, pfx, _, _) = SelfSigned();
        const string Wrong = "not-the-password-3321";

        var error = Assert.Throws<ConfigurationFileException>(() => UnitizationHost.Build(Settings("https://127.0.0.1:0", new() { ["Tls:CertificatePath"] = pfx, ["Tls:CertificatePassword"] = Wrong })));

        Assert.Contains("cannot load", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Wrong, error.Message, StringComparison.Ordinal);
    }
}
