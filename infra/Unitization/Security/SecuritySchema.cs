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

    public static readonly StateMigration Audit = new(
        "security",
        2,
        "audit_log",
        "CREATE TABLE IF NOT EXISTS security_audit (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, principal TEXT NOT NULL, method TEXT NOT NULL, " +
        "path TEXT NOT NULL, status INTEGER NOT NULL, result TEXT NOT NULL, client TEXT NOT NULL, detail TEXT NOT NULL); " +
        "CREATE INDEX IF NOT EXISTS security_audit_at ON security_audit (at); " +
        "CREATE INDEX IF NOT EXISTS security_audit_principal ON security_audit (principal, at);");
}
