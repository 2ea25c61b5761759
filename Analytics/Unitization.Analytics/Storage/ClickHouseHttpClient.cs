namespace Unitization.Analytics.Storage;

/// <summary>
/// The one <see cref="HttpClient"/> Analytics reads ClickHouse with (pooled connections, a generous timeout for big
/// scans), authenticated as <c>Analytics:ClickHouseUser</c> (ClickHouse's <c>X-ClickHouse-User</c>/<c>X-ClickHouse-Key</c>
/// headers: the password never sits in a URL); an <c>https://</c> ClickHouseUrl is TLS, checked against the system's
/// roots or <c>Analytics:ClickHouseCaPath</c>.
/// </summary>
internal sealed class ClickHouseHttpClient : IDisposable
{
    public ClickHouseHttpClient(Microsoft.Extensions.Options.IOptions<AnalyticsOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var o = options.Value;
        var handler = new SocketsHttpHandler();
        if (o.ClickHouseCaPath is { Length: > 0 } caPath)
        {
            var authority = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(caPath);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                errors == System.Net.Security.SslPolicyErrors.None || (certificate is not null && Unitization.Analytics.Storage.ClickHouseTrust.ChainsTo(certificate, authority, errors));
        }

        Client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(120) };
        if (o.ClickHouseUser is { Length: > 0 } user)
        {
            Client.DefaultRequestHeaders.Add("X-ClickHouse-User", user);
            Client.DefaultRequestHeaders.Add("X-ClickHouse-Key", o.ClickHousePassword ?? string.Empty);
        }
    }

    public HttpClient Client { get; }

    public void Dispose() => Client.Dispose();
}
