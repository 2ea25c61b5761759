using Thrift;
using Thrift.Protocol;
using Thrift.Transport;
using Thrift.Transport.Client;
using Unitization.Replication.Metastore.Thrift;

namespace Unitization.Replication.Metastore;

/// <summary>
/// One connection to an HMS: TBinaryProtocol over a buffered socket, as HMS serves. Not thread-safe (a Thrift
/// connection carries one call at a time); calls are serialized here. A failed call drops the connection, and the next
/// call reconnects.
/// </summary>
public sealed class MetastoreClient(MetastoreEndpoint endpoint, TimeSpan timeout) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ThriftHiveMetastore.Client? _client;

    public MetastoreEndpoint Endpoint => endpoint;

    public Task<List<NotificationEvent>> GetNextEventsAsync(long lastEvent, int maxEvents, CancellationToken cancellationToken) =>
        CallAsync(
            async (c, ct) =>
            {
                var response = await c.get_next_notification(new NotificationEventRequest(lastEvent) { MaxEvents = maxEvents }, ct).ConfigureAwait(false);
                return response.Events ?? [];
            },
            cancellationToken);

    public Task<Table> GetTableAsync(string db, string table, CancellationToken cancellationToken) =>
        CallAsync((c, ct) => c.get_table(db, table, ct), cancellationToken);

    public Task<List<Partition>> GetPartitionsByNamesAsync(string db, string table, List<string> names, CancellationToken cancellationToken) =>
        CallAsync((c, ct) => c.get_partitions_by_names(db, table, names, ct), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            Drop();
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<T> CallAsync<T>(Func<ThriftHiveMetastore.Client, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var client = _client ??= await ConnectAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await call(client, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not MetaException and not NoSuchObjectException)
            {
                // the stream may hold half a reply: never reuse it
                Drop();
                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<ThriftHiveMetastore.Client> ConnectAsync(CancellationToken cancellationToken)
    {
        var configuration = new TConfiguration();
        var socket = new TSocketTransport(endpoint.Host, endpoint.Port, configuration, (int)timeout.TotalMilliseconds);
        var transport = new TBufferedTransport(socket);
        var client = new ThriftHiveMetastore.Client(new TBinaryProtocol(transport));
        try
        {
            await client.OpenTransportAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            client.Dispose();
            throw;
        }

        return client;
    }

    private void Drop()
    {
        _client?.Dispose();
        _client = null;
    }
}
