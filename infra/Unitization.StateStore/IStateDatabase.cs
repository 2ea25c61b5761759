using System.Data.Common;

namespace Unitization.StateStore;

/// <summary>Opens connections to the state store, with every registered migration applied.</summary>
public interface IStateDatabase
{
    /// <summary>The provider name, for repositories that choose SQL by dialect.</summary>
    string Provider { get; }

    /// <summary>Applies pending migrations (once per process; later calls return at once).</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>An open connection; the caller disposes it.</summary>
    Task<DbConnection> OpenAsync(CancellationToken cancellationToken);
}
