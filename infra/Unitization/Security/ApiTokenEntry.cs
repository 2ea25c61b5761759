namespace Unitization.Host.Security;

/// <summary>One static API token: its name, roles and the SHA-256 (hex) of the token text.</summary>
public sealed class ApiTokenEntry
{
    public string Name { get; set; } = string.Empty;

    public IList<string> Roles { get; } = [];

    public string Sha256 { get; set; } = string.Empty;
}
