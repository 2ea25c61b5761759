namespace Unitization.Host.Security;

/// <summary>An API token as stored: its name, roles and SHA-256 (hex).</summary>
internal sealed record StoredApiToken(string Name, IReadOnlyList<ApiRole> Roles, string Sha256);
