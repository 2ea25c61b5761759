using Microsoft.Extensions.Options;
using Unitization.Namespaces.Configuration;
using Unitization.Replication.Metastore.Thrift;
using Unitization.Replication.Pump;

namespace Unitization.Replication.Metastore;

/// <summary>
/// The replicator's connection to its HMS. The address is <c>Replication:MetastoreUri</c>, one URI or several separated
/// by commas as in <c>hive.metastore.uris</c> (a call that fails on the network moves to the next one, round robin),
/// or else the file the sample HMS writes when it starts (re-read after a failure, since the sample's port changes
/// per start). Every call's outcome goes to <see cref="ReplicationHealth"/>, so a call that keeps failing shows in status.
/// </summary>
internal sealed class MetastoreConnection(
    IOptions<ReplicationOptions> options, IOptions<TopologyOptions> topology, ReplicationHealth? health = null, TimeProvider? time = null)
    : IMetastoreLookup, IAsyncDisposable
{
    private const string GetTableCall = "get_table_req";
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<MetastoreEndpoint, MetastoreClient> _clients = [];
    private int _current;

    public string Describe() => options.Value.MetastoreUri ?? topology.Value.ResolvePath(options.Value.MetastoreUriFile);

    /// <summary>The client of the metastore URI in use (the next one after a failover).</summary>
    public async Task<MetastoreClient> GetAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var endpoints = ResolveUris().Select(MetastoreEndpoint.Parse).ToList();
            var endpoint = endpoints[_current % endpoints.Count];
            foreach (var stale in _clients.Keys.Where(e => !endpoints.Contains(e)).ToList())
            {
                await _clients[stale].DisposeAsync().ConfigureAwait(false);
                _clients.Remove(stale);
            }

            if (!_clients.TryGetValue(endpoint, out var client))
            {
                client = new MetastoreClient(endpoint, options.Value.MetastoreTimeout, MetastoreSasl.From(options.Value.MetastoreKerberosPrincipal, options.Value.MetastoreSaslQop));
                _clients[endpoint] = client;
            }

            return client;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Runs one HMS call on the URI in use; a network failure moves to the next URI before it is rethrown.</summary>
    public async Task<T> CallAsync<T>(string call, Func<MetastoreClient, CancellationToken, Task<T>> action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        var client = await GetAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var result = await action(client, cancellationToken).ConfigureAwait(false);
            health?.MetastoreCallSucceeded(call);
            return result;
        }
        catch (Exception ex) when (ex is not NoSuchObjectException && !cancellationToken.IsCancellationRequested)
        {
            health?.MetastoreCallFailed(call, $"{ex.Message} ({client.Endpoint})", (time ?? TimeProvider.System).GetUtcNow());
            if (EventPump.IsMetastoreFailure(ex) && ex is not MetaException)
            {
                Interlocked.Increment(ref _current);
            }

            throw;
        }
    }

    public Task<Table> GetTableAsync(string db, string table, CancellationToken cancellationToken) =>
        CallAsync(GetTableCall, (c, ct) => c.GetTableAsync(db, table, ct), cancellationToken);

    public Task<List<Partition>> GetPartitionsByNamesAsync(string db, string table, List<string> names, CancellationToken cancellationToken) =>
        CallAsync("get_partitions_by_names", (c, ct) => c.GetPartitionsByNamesAsync(db, table, names, ct), cancellationToken);

    public Task<List<string>> GetPartitionNamesAsync(string db, string table, CancellationToken cancellationToken) =>
        CallAsync("get_partition_names", (c, ct) => c.GetPartitionNamesAsync(db, table, ct), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        // registered as itself and as IMetastoreLookup: the container disposes it twice
        List<MetastoreClient> clients;
        lock (_clients)
        {
            clients = [.. _clients.Values];
            _clients.Clear();
        }

        foreach (var client in clients)
        {
            await client.DisposeAsync().ConfigureAwait(false);
        }
    }

    private IReadOnlyList<string> ResolveUris()
    {
        if (!string.IsNullOrWhiteSpace(options.Value.MetastoreUri))
        {
            return options.Value.MetastoreUri.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        }

        var file = topology.Value.ResolvePath(options.Value.MetastoreUriFile);
        if (!File.Exists(file))
        {
            throw new IOException($"Replication:MetastoreUri is not set and the sample HMS address file '{file}' does not exist yet.");
        }

        // the sample HMS replaces the file in one rename, but a writer of another kind may be caught half way
        var uri = File.ReadAllText(file).Trim();
        return uri.Length > 0
            ? [uri]
            : throw new IOException($"Replication:MetastoreUri is not set and the sample HMS address file '{file}' is empty (being written?).");
    }
}
