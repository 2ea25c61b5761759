namespace Unitization.StateStore;

/// <summary>
/// One versioned schema change owned by a component. Migrations of a component apply in version order, each once,
/// inside a transaction; the applied ones are recorded in <c>schema_migrations</c>.
/// </summary>
public sealed record StateMigration(string Component, int Version, string Name, string Sql)
{
    public string Id => $"{Component}:{Version:D4}:{Name}";
}
