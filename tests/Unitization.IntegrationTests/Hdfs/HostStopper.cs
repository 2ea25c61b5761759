using Microsoft.AspNetCore.Builder;

namespace Unitization.IntegrationTests.Hdfs;

/// <summary>Stops and disposes a started host at the end of a test's scope (<c>await using</c>).</summary>
internal sealed class HostStopper(WebApplication app) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
    }
}
