namespace Unitization.StateStore.Leadership;

/// <summary>
/// One row per singleton (<c>pump:hms</c>, …): who holds it, its epoch (the fencing token, one more at every change of
/// holder) and when the lease runs out, in the database's own clock (milliseconds since 1970), so the processes'
/// clocks never have to agree.
/// </summary>
internal static class LeadershipSchema
{
    public static readonly StateMigration Leases = new("statestore", 1, "leader_leases", """
        CREATE TABLE leader_leases (
            name       TEXT   PRIMARY KEY,
            holder     TEXT   NOT NULL,
            epoch      BIGINT NOT NULL,
            expires_ms BIGINT NOT NULL
        );
        """);

    /// <summary>The database's clock in milliseconds since 1970, in the provider's dialect.</summary>
    public static string NowMilliseconds(string provider) => provider == StateProviders.PostgreSql
        ? "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)"
        : "CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)";
}
