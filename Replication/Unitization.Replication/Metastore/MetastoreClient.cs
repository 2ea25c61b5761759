using Thrift;
using Thrift.Protocol;
using Thrift.Transport;
using Thrift.Transport.Client;
using Unitization.Replication.Metastore.Thrift;

namespace Unitization.Replication.Metastore;

/// <summary>
/// One connection to an HMS: TBinaryProtocol over a buffered socket, as HMS serves. Not thread-safe (a Thrift
/// connection carries one call at a time); calls are serialized here. A failed call drops the connection, and the next
/// call reconnects. Tables are read with <c>get_table_req</c> (Hive 3 and 4; Hive 4 has no <c>get_table</c>); a
/// server that answers it with <c>UNKNOWN_METHOD</c> (Hive before 2.1) is remembered and asked <c>get_table</c>.
/// With <paramref name="sasl"/> the connection is Thrift's SASL transport with GSSAPI (a Kerberized HMS).
/// </summary>
public sealed class MetastoreClient(MetastoreEndpoint endpoint, TimeSpan timeout, MetastoreSasl? sasl = null) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ThriftHiveMetastore.Client? _client;
    private volatile bool _noGetTableReq;
    private volatile bool _noGetTable;

    public MetastoreEndpoint Endpoint => endpoint;

    /// <summary>Whether this server answered <c>get_table_req</c> with UNKNOWN_METHOD (so tables are read with <c>get_table</c>).</summary>
    public bool UsesLegacyGetTable => _noGetTableReq;

    public Task<long> GetCurrentEventIdAsync(CancellationToken cancellationToken) =>
        CallAsync(async (c, ct) => (await c.get_current_notificationEventId(ct).ConfigureAwait(false)).EventId, cancellationToken);

    public Task<List<NotificationEvent>> GetNextEventsAsync(long lastEvent, int maxEvents, CancellationToken cancellationToken) =>
        GetNextEventsAsync(new NotificationEventRequest(lastEvent) { MaxEvents = maxEvents }, cancellationToken);

    /// <summary><c>get_next_notification</c> with the request's filters (eventTypeSkipList, catName, dbName, tableNames).</summary>
    public Task<List<NotificationEvent>> GetNextEventsAsync(NotificationEventRequest request, CancellationToken cancellationToken) =>
        CallAsync(
            async (c, ct) =>
            {
                var response = await c.get_next_notification(request, ct).ConfigureAwait(false);
                return response.Events ?? [];
            },
            cancellationToken);

    public async Task<Table> GetTableAsync(string db, string table, CancellationToken cancellationToken)
    {
        if (!_noGetTableReq)
        {
            try
            {
                return await CallAsync(
                    async (c, ct) => (await c.get_table_req(new GetTableRequest(db, table), ct).ConfigureAwait(false)).Table
                        ?? throw new TApplicationException(TApplicationException.ExceptionType.MissingResult, "get_table_req returned no table"),
                    cancellationToken).ConfigureAwait(false);
            }
            catch (TApplicationException ex) when (ex.Type == TApplicationException.ExceptionType.UnknownMethod)
            {
                _noGetTableReq = true;
            }
        }

        if (_noGetTable)
        {
            throw new MetastoreCapabilityException(endpoint, "get_table_req", "get_table");
        }

        try
        {
            return await CallAsync((c, ct) => c.get_table(db, table, ct), cancellationToken).ConfigureAwait(false);
        }
        catch (TApplicationException ex) when (ex.Type == TApplicationException.ExceptionType.UnknownMethod)
        {
            _noGetTable = true;
            throw new MetastoreCapabilityException(endpoint, "get_table_req", "get_table");
        }
    }

    public Task<List<string>> GetPartitionNamesAsync(string db, string table, CancellationToken cancellationToken) =>
        CallAsync((c, ct) => c.get_partition_names(db, table, -1, ct), cancellationToken);

    public Task<string> GetVersionAsync(CancellationToken cancellationToken) =>
        CallAsync((c, ct) => c.getVersion(ct), cancellationToken);

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
        TTransport transport = sasl is null
            ? new TBufferedTransport(socket)
            : new Sasl.TSaslTransport(socket, Sasl.GssapiSasl.Client(sasl.PrincipalFor(endpoint.Host), sasl.Qop), isClient: true);
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
