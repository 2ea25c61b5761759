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

    /// <summary>How long a singleton's leader lease lasts without renewal: a dead leader is replaced within it (plus one renewal interval).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "LeaderLeaseDuration must be from 00:00:01 to 00:10:00.")]
    public TimeSpan LeaderLeaseDuration { get; set; } = TimeSpan.FromSeconds(6);

    /// <summary>How often a leader renews its lease, and a standby tries to take it: well under the lease.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:05:00", ErrorMessage = "LeaderRenewInterval must be from 00:00:00.050 to 00:05:00.")]
    public TimeSpan LeaderRenewInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a scheduled job's firing stays in <c>scheduler_firings</c>: each firing's record deletes those whose
    /// scheduled time is older than this (1 hour to 10 years; default 14 days).
    /// </summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00", ErrorMessage = "FiringsRetention must be from 01:00:00 (one hour) to 3650.00:00:00 (ten years).")]
    public TimeSpan FiringsRetention { get; set; } = TimeSpan.FromDays(14);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (LeaderRenewInterval * 2 >= LeaderLeaseDuration)
        {
            yield return new ValidationResult(
                $"StateStore:LeaderRenewInterval ({LeaderRenewInterval}) must be less than half of StateStore:LeaderLeaseDuration ({LeaderLeaseDuration}), or a leader loses its lease between renewals.",
                [nameof(LeaderRenewInterval)]);
        }

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
