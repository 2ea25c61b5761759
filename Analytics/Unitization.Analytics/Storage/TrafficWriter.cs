using ClickHouse.Driver;

namespace Unitization.Analytics.Storage;

internal sealed partial class TrafficWriter
{
    /// <summary>
    /// The ClickHouse.Driver connection string for a server's HTTP URL: no compression and no JSON type handling,
    /// which ClickHouse 18.16 does not understand. With a user, its password travels too (quoted by the builder).
    /// </summary>
    public static string ConnectionString(Uri server, string database, string? user = null, string? password = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        var builder = new System.Data.Common.DbConnectionStringBuilder
        {
            ["Host"] = server.Host,
            ["Port"] = server.Port,
            ["Protocol"] = server.Scheme,
            ["Database"] = database,
            ["Compression"] = "false",
            ["JsonReadMode"] = "None",
            ["JsonWriteMode"] = "None",
        };
        if (user is { Length: > 0 })
        {
            builder["Username"] = user;
            builder["Password"] = password ?? string.Empty;
        }

        return builder.ConnectionString;
    }

    /// <summary>
    /// Insert options 18.16 accepts: explicit column types (no schema probe, which reads a format 18.16 lacks), no
    /// request compression (18.16 knows no zstd), and one batch per call so an insert is one block.
    /// </summary>
    public static InsertOptions InsertOptions(IReadOnlyDictionary<string, string> columnTypes, int batchSize = 1_000_000) => new()
    {
        ColumnTypes = columnTypes,
        Compressor = null,
        BatchSize = batchSize,
        MaxDegreeOfParallelism = 1,
    };
}
