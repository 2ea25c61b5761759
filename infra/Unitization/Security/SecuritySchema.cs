using Unitization.StateStore;

namespace Unitization.Host.Security;

/// <summary>The security tables of the state store: API token hashes and the audit log.</summary>
internal static class SecuritySchema
{
    public static readonly StateMigration Tokens = new(
        "security",
        1,
        "api_tokens",
        "CREATE TABLE IF NOT EXISTS security_api_tokens (name TEXT PRIMARY KEY, roles TEXT NOT NULL, sha256 TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, revoked_at TEXT NULL);");

    // written for both providers (SQLite, PostgreSQL): no autoincrement; the id is time-ordered text
    private const string AuditTable =
        "CREATE TABLE IF NOT EXISTS security_audit_log (id TEXT PRIMARY KEY, at TEXT NOT NULL, principal TEXT NOT NULL, method TEXT NOT NULL, " +
        "path TEXT NOT NULL, status INTEGER NOT NULL, result TEXT NOT NULL, client TEXT NOT NULL, detail TEXT NOT NULL); " +
        "CREATE INDEX IF NOT EXISTS security_audit_log_principal ON security_audit_log (principal, id);";

    public static readonly StateMigration Audit = new("security", 2, "audit_log", AuditTable);

    /// <summary>A store that applied the first (SQLite-only) text of version 2 gets the portable table here.</summary>
    public static readonly StateMigration AuditPortable = new("security", 3, "audit_log_portable", AuditTable);

    public static IEnumerable<StateMigration> All => [Tokens, Audit, AuditPortable];
}
