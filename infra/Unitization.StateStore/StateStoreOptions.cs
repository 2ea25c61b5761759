using System.ComponentModel.DataAnnotations;

namespace Unitization.StateStore;

/// <summary>Configuration section <c>StateStore</c>.</summary>
public sealed class StateStoreOptions : IValidatableObject
{
    public const string SectionName = "StateStore";

    /// <summary><c>sqlite</c> (embedded default, one process) or <c>postgresql</c> (shared by a fleet of processes).</summary>
    [Required]
    [RegularExpression("^(sqlite|postgresql)$", ErrorMessage = "Provider must be 'sqlite' or 'postgresql'.")]
    public string Provider { get; set; } = StateProviders.Sqlite;

    /// <summary>For SQLite: the database file (relative paths are against the data folder).</summary>
    [Required(AllowEmptyStrings = false)]
    public string Path { get; set; } = "state.db";

    /// <summary>For PostgreSQL: an Npgsql connection string (<c>Host=...;Port=...;Username=...;Database=...</c>).</summary>
    public string? ConnectionString { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Provider != StateProviders.PostgreSql)
        {
            yield break;
        }

        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return new ValidationResult(
                "StateStore:ConnectionString is required when StateStore:Provider is 'postgresql' (e.g. Host=127.0.0.1;Port=5432;Username=unitization;Database=unitization).",
                [nameof(ConnectionString)]);
            yield break;
        }

        string? error = null;
        try
        {
            _ = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString);
        }
        catch (ArgumentException ex)
        {
            error = ex.Message;
        }

        if (error is not null)
        {
            yield return new ValidationResult($"StateStore:ConnectionString is not an Npgsql connection string: {error}", [nameof(ConnectionString)]);
        }
    }
}
