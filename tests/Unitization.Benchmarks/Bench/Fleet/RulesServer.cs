using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Unitization.DataManager.Rules;

namespace Unitization.Benchmarks.Bench.Fleet;

/// <summary>
/// DataManager's <c>GET /api/v1/replication/rules</c> for <c>bench fleet-replicators</c>: a bare Kestrel on a loopback
/// port serving the bench's rules, so every replicator process (none with the datamanager role) reads them through
/// <c>Replication:RulesUrl</c> as it would from a DataManager process.
/// </summary>
internal sealed class RulesServer : IAsyncDisposable
{
    private LoopbackApp? _app;
    private IReadOnlyList<ReplicationRule> _rules = [];

    private RulesServer()
    {
    }

    public Uri Url => _app!.BaseUrl;

    /// <summary>The rules the next GET returns (each run serves its own database's tables).</summary>
    public IReadOnlyList<ReplicationRule> Rules
    {
        get => Volatile.Read(ref _rules);
        set => Volatile.Write(ref _rules, value);
    }

    public static async Task<RulesServer> StartAsync(CancellationToken cancellationToken)
    {
        var server = new RulesServer();
        server._app = await LoopbackApp.StartAsync(app => app.MapGet("/api/v1/replication/rules", () => Results.Json(server.Rules)), cancellationToken).ConfigureAwait(false);
        return server;
    }

    public ValueTask DisposeAsync() => _app?.DisposeAsync() ?? ValueTask.CompletedTask;
}
