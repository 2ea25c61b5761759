using System.ComponentModel.DataAnnotations;

namespace Unitization.StateStore;

/// <summary>Configuration section <c>StateStore</c>.</summary>
public sealed class StateStoreOptions
{
    public const string SectionName = "StateStore";

    /// <summary><c>sqlite</c> (embedded default); a PostgreSQL provider can satisfy the same repositories.</summary>
    [Required]
    [RegularExpression("^(sqlite)$", ErrorMessage = "Provider must be 'sqlite' (the only provider built so far).")]
    public string Provider { get; set; } = "sqlite";

    /// <summary>For SQLite: the database file (relative paths are against the data folder).</summary>
    [Required(AllowEmptyStrings = false)]
    public string Path { get; set; } = "state.db";
}
