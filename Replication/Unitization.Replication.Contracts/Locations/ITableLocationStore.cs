namespace Unitization.Replication.Locations;

/// <summary>
/// Where the metastore says each table lives (from its CREATE_TABLE and ALTER_TABLE events, as a namespace path):
/// the map from a dataset (<c>db.table</c>) to its path and back, for placement readiness, ad-hoc placement by path
/// and the plan's apply. Tables the metastore never reported fall back to the configured path templates.
/// </summary>
public interface ITableLocationStore
{
    Task RecordAsync(string db, string table, string path, CancellationToken cancellationToken);

    /// <summary>The table's path, or null when the metastore has not reported it.</summary>
    Task<string?> GetAsync(string db, string table, CancellationToken cancellationToken);

    /// <summary>The table (<c>db.table</c>) whose location is <paramref name="path"/> or the nearest folder above it, or null.</summary>
    Task<string?> TableAtAsync(string path, CancellationToken cancellationToken);
}
