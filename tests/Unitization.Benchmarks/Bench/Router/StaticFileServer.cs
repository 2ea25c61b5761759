using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Unitization.Benchmarks.Bench.Router;

/// <summary>
/// The HTTP baseline of <c>bench gateway</c>: a bare Kestrel on a loopback port that serves one file with
/// ASP.NET Core's own <c>Results.File</c> (no routing decision, no namespace), so the gateway's cost over HTTP itself shows.
/// </summary>
internal sealed class StaticFileServer : IAsyncDisposable
{
    private readonly LoopbackApp _app;

    private StaticFileServer(LoopbackApp app)
    {
        _app = app;
        Uri = new Uri(app.BaseUrl, "file");
    }

    public Uri Uri { get; }

    public static async Task<StaticFileServer> StartAsync(string file, CancellationToken cancellationToken) =>
        new(await LoopbackApp.StartAsync(app => app.MapGet("/file", () => Results.File(file, "application/octet-stream")), cancellationToken).ConfigureAwait(false));

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
