using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Unitization.Analytics.Storage;

/// <summary>
/// Statements and reads over ClickHouse's HTTP interface. Reads use <c>FORMAT JSON</c> (ClickHouse.Driver cannot read
/// <c>RowBinaryWithNamesAndTypes</c> from 18.16) or raw <c>RowBinary</c> for one fixed-width column; inserts go through
/// <see cref="TrafficWriter"/> (ClickHouse.Driver).
/// </summary>
internal sealed class ClickHouseHttp
{
    private readonly HttpClient _http;
    private readonly Uri _server;

    public ClickHouseHttp(HttpClient http, Uri server, string? database)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(server);
        _http = http;
        _server = server;
        Database = database;
    }

    public Uri Server => _server;

    public HttpClient HttpClient => _http;

    public string? Database { get; }

    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync(new Uri(_server, "/ping"), cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    /// <summary>Runs a statement (DDL, INSERT ... SELECT, OPTIMIZE).</summary>
    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        using var response = await PostAsync(sql, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Drops a database if it is there (its name checked by <see cref="ClickHouseSql.Identifier"/>).</summary>
    public Task DropDatabaseAsync(string database, CancellationToken cancellationToken) =>
        ExecuteAsync($"DROP DATABASE IF EXISTS {ClickHouseSql.Identifier(database)}", cancellationToken);

    /// <summary>Runs a SELECT with <c>FORMAT JSON</c> and returns its rows (numbers of 64-bit types arrive as strings).</summary>
    public async Task<IReadOnlyList<JsonElement>> QueryAsync(string sql, CancellationToken cancellationToken)
    {
        using var response = await PostAsync(sql + "\nFORMAT JSON", cancellationToken).ConfigureAwait(false);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
        return [.. document.RootElement.GetProperty("data").EnumerateArray().Select(row => row.Clone())];
    }

    /// <summary>Runs a SELECT of UInt64 columns with <c>FORMAT RowBinary</c>: the values row by row, column by column.</summary>
    public async Task<List<ulong>> QueryUInt64sAsync(string sql, CancellationToken cancellationToken)
    {
        using var response = await PostAsync(sql + "\nFORMAT RowBinary", cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (bytes.Length % 8 != 0)
        {
            throw new ClickHouseException($"ClickHouse returned {bytes.Length} bytes for a UInt64 column (not a multiple of 8).");
        }

        var values = new List<ulong>(bytes.Length / 8);
        for (var i = 0; i < bytes.Length; i += 8)
        {
            values.Add(BitConverter.ToUInt64(bytes, i));
        }

        return values;
    }

    private async Task<HttpResponseMessage> PostAsync(string sql, CancellationToken cancellationToken)
    {
        var uri = Database is null ? _server : new Uri(_server, "/?database=" + Uri.EscapeDataString(Database));
        using var content = new StringContent(sql, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        HttpResponseMessage response;
        try
        {
            response = await _http.PostAsync(uri, content, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new ClickHouseException($"ClickHouse at {_server} is unreachable: {e.Message}", e);
        }

        if (!response.IsSuccessStatusCode)
        {
            var message = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            response.Dispose();
            throw new ClickHouseException($"ClickHouse at {_server} refused the query ({(int)response.StatusCode}): {message.Trim()}");
        }

        return response;
    }
}
