namespace Unitization.DataManager.Marquez;

internal sealed record MarquezNamespace(string Name, string OwnerName, string? Description, bool IsHidden);
