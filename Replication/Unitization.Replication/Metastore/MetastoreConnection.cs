using Microsoft.Extensions.Options;
using Unitization.Namespaces.Configuration;
using Unitization.Replication.Metastore.Thrift;

namespace Unitization.Replication.Metastore;

/// <summary>
/// The replicator's connection to its HMS. The address is <c>Replication:MetastoreUri</c>, or else the file the sample HMS
/// writes when it starts (re-read after a failure, since the sample's port changes per start).
/// </summary>
internal sealed class MetastoreConnection(IOptions<ReplicationOptions> options, IOptions<TopologyOptions> topology) : IMetastoreLookup, IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private MetastoreClient? _client;

    public string Describe() => _client?.Endpoint.ToString() ?? options.Value.MetastoreUri ?? topology.Value.ResolvePath(options.Value.MetastoreUriFile);

    public async Task<MetastoreClient> GetAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var endpoint = MetastoreEndpoint.Parse(ResolveUri());
            if (_client is null || _client.Endpoint != endpoint)
            {
                if (_client is not null)
                {
                    await _client.DisposeAsync().ConfigureAwait(false);
                }

                _client = new MetastoreClient(endpoint, options.Value.MetastoreTimeout);
            }

            return _client;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<Table> GetTableAsync(string db, string table, CancellationToken cancellationToken) =>
        await (await GetAsync(cancellationToken).ConfigureAwait(false)).GetTableAsync(db, table, cancellationToken).ConfigureAwait(false);

    public async Task<List<Partition>> GetPartitionsByNamesAsync(string db, string table, List<string> names, CancellationToken cancellationToken) =>
        await (await GetAsync(cancellationToken).ConfigureAwait(false)).GetPartitionsByNamesAsync(db, table, names, cancellationToken).ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        // registered as itself and as IMetastoreLookup: the container disposes it twice
        if (Interlocked.Exchange(ref _client, null) is { } client)
        {
            await client.DisposeAsync().ConfigureAwait(false);
        }
    }

    private string ResolveUri()
    {
        if (!string.IsNullOrWhiteSpace(options.Value.MetastoreUri))
        {
            return options.Value.MetastoreUri;
        }

        var file = topology.Value.ResolvePath(options.Value.MetastoreUriFile);
        if (!File.Exists(file))
        {
            throw new IOException($"Replication:MetastoreUri is not set and the sample HMS address file '{file}' does not exist yet.");
        }

        // the sample HMS replaces the file in one rename, but a writer of another kind may be caught half way
        var uri = File.ReadAllText(file).Trim();
        return uri.Length > 0
            ? uri
            : throw new IOException($"Replication:MetastoreUri is not set and the sample HMS address file '{file}' is empty (being written?).");
    }
}
