namespace Unitization.DataManager.Marquez;

internal sealed record MarquezNamespaces(IReadOnlyList<MarquezNamespace> Namespaces);
