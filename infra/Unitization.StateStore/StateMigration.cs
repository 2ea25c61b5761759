namespace Unitization.StateStore;

/// <summary>
/// One versioned schema change owned by a component. Migrations of a component apply in version order, each once,
/// inside a transaction; the applied ones are recorded in <c>schema_migrations</c>. <see cref="Sql"/> is written in
/// the SQL both providers read; where PostgreSQL needs other words (identity columns, <c>BYTEA</c>),
/// <see cref="PostgreSql"/> holds its text of the same change.
/// </summary>
public sealed record StateMigration(string Component, int Version, string Name, string Sql)
{
    public string Id => $"{Component}:{Version:D4}:{Name}";

    /// <summary>The same change in PostgreSQL's dialect, when <see cref="Sql"/> does not run there as written.</summary>
    public string? PostgreSql { get; init; }

    /// <summary>The text to run on <paramref name="provider"/>.</summary>
    public string SqlFor(string provider) =>
        provider == StateProviders.PostgreSql && PostgreSql is not null ? PostgreSql : Sql;
}
