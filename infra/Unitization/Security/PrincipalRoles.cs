namespace Unitization.Host.Security;

/// <summary>Roles given to a principal by name.</summary>
public sealed class PrincipalRoles
{
    public string Name { get; set; } = string.Empty;

    public IList<string> Roles { get; } = [];
}
