using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Unitization.DataManager.Rules;

namespace Unitization.Benchmarks.Bench.Fleet;

/// <summary>
/// DataManager's <c>GET /api/v1/replication/rules</c> for <c>bench fleet-replicators</c>: a bare Kestrel on a loopback
/// port serving the bench's rules, so every replicator process (none with the datamanager role) reads them through
/// <c>Replication:RulesUrl</c> as it would from a DataManager process.
/// </summary>
internal sealed class RulesServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private IReadOnlyList<ReplicationRule> _rules = [];

    private RulesServer(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    /// <summary>The rules the next GET returns (each run serves its own database's tables).</summary>
    public IReadOnlyList<ReplicationRule> Rules
    {
        get => Volatile.Read(ref _rules);
        set => Volatile.Write(ref _rules, value);
    }

    public static async Task<RulesServer> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new RulesServer(app);
        app.MapGet("/api/v1/replication/rules", () => Results.Json(server.Rules));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        server.Url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
