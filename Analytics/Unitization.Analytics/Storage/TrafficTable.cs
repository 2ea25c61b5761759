using System.Buffers;
using System.Runtime.InteropServices;
using ClickHouse.Driver;
using Unitization.Analytics.Ingest;
using Unitization.Analytics.Traffic;

namespace Unitization.Analytics.Storage;

/// <summary>
/// The <c>traffic</c> table in ClickHouse: inserts through ClickHouse.Driver (RowBinary, explicit column types), reads
/// through <see cref="ClickHouseHttp"/>. Creates the schema on first use, so the role starts while ClickHouse is down.
/// </summary>
internal sealed class TrafficTable : ITrafficTable, IDisposable
{
    private const int IdChunk = 5000;
    private readonly ClickHouseHttp _http;
    private readonly ClickHouseClient _client;
    private readonly string _database;
    private readonly SemaphoreSlim _schemaLock = new(1, 1);
    private volatile bool _schemaReady;

    public TrafficTable(HttpClient http, Uri server, string database, string? user = null, string? password = null)
    {
        _database = ClickHouseSql.Identifier(database);
        _http = new ClickHouseHttp(http, server, _database);
        _client = new ClickHouseClient(TrafficWriter.ConnectionString(server, _database, user, password));
    }

    public ClickHouseHttp Http => _http;

    public string Database => _database;

    public async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        if (_schemaReady)
        {
            return;
        }

        await _schemaLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_schemaReady)
            {
                var server = new ClickHouseHttp(HttpOf(_http), _http.Server, null);
                foreach (var statement in TrafficSchema.Statements(_database))
                {
                    await server.ExecuteAsync(statement, cancellationToken).ConfigureAwait(false);
                }

                _schemaReady = true;
            }
        }
        finally
        {
            _schemaLock.Release();
        }
    }

    /// <summary>Inserts rows encoded by <see cref="TrafficRowBinary"/> (one insert, one block), sent through the driver as they are.</summary>
    public async Task InsertAsync(ReadOnlyMemory<byte> rows, int count, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        if (count == 0)
        {
            return;
        }

        try
        {
            if (!MemoryMarshal.TryGetArray(rows, out var written))
            {
                throw new InvalidOperationException("RowBinary rows are expected in an array.");
            }

            using var body = new MemoryStream(written.Array!, written.Offset, written.Count, writable: false);
            await _client.InsertRawStreamAsync(TrafficSchema.Traffic, body, "RowBinary", TrafficSchema.Columns, useCompression: false, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException and not ClickHouseException)
        {
            throw new ClickHouseException($"ClickHouse at {_http.Server} did not take {count} traffic records: {e.Message}", e);
        }
    }

    public async Task<HashSet<ulong>> StoredIdHashesAsync(IReadOnlyCollection<ulong> idHashes, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(idHashes);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var stored = new HashSet<ulong>();
        foreach (var chunk in idHashes.Chunk(IdChunk))
        {
            var sql = $"SELECT id_hash FROM {TrafficSchema.Traffic} WHERE time >= {ClickHouseSql.DateTime(from.AddSeconds(-1))} " +
                      $"AND time <= {ClickHouseSql.DateTime(to.AddSeconds(1))} AND id_hash IN ({string.Join(',', chunk)})";
            stored.UnionWith(await _http.QueryUInt64sAsync(sql, cancellationToken).ConfigureAwait(false));
        }

        return stored;
    }

    public async Task<IReadOnlyList<(ulong IdHash, DateTimeOffset Time)>> IdHashesSinceAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var flat = await _http.QueryUInt64sAsync(
            $"SELECT id_hash, toUInt64(toUnixTimestamp(time)) FROM {TrafficSchema.Traffic} WHERE time >= {ClickHouseSql.DateTime(since)}",
            cancellationToken).ConfigureAwait(false);
        var pairs = new List<(ulong, DateTimeOffset)>(flat.Count / 2);
        for (var i = 0; i + 1 < flat.Count; i += 2)
        {
            pairs.Add((flat[i], DateTimeOffset.FromUnixTimeSeconds((long)flat[i + 1])));
        }

        return pairs;
    }

    private static HttpClient HttpOf(ClickHouseHttp http) => http.HttpClient;

    public void Dispose()
    {
        _client.Dispose();
        _schemaLock.Dispose();
    }
}
