namespace Unitization.Analytics.Storage;

/// <summary>The one <see cref="HttpClient"/> Analytics reads ClickHouse with (pooled connections, a generous timeout for big scans).</summary>
internal sealed class ClickHouseHttpClient : IDisposable
{
    public HttpClient Client { get; } = new() { Timeout = TimeSpan.FromSeconds(120) };

    public void Dispose() => Client.Dispose();
}
