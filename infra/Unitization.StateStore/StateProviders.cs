namespace Unitization.StateStore;

/// <summary>The state store's providers (<c>StateStore:Provider</c>).</summary>
public static class StateProviders
{
    /// <summary>One SQLite file, embedded: the default, for one process.</summary>
    public const string Sqlite = "sqlite";

    /// <summary>A PostgreSQL server shared by every process of a fleet.</summary>
    public const string PostgreSql = "postgresql";
}
