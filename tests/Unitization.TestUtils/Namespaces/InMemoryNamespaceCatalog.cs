using Unitization.Namespaces;

namespace Unitization.TestUtils.Namespaces;

/// <summary>A catalog of <see cref="InMemoryNamespace"/>s, one per datacenter id.</summary>
public sealed class InMemoryNamespaceCatalog : INamespaceCatalog
{
    private readonly Dictionary<string, InMemoryNamespace> _namespaces;

    public InMemoryNamespaceCatalog(params string[] datacenters)
    {
        _namespaces = datacenters.ToDictionary(dc => dc, dc => new InMemoryNamespace(dc), StringComparer.Ordinal);
        Datacenters = datacenters;
    }

    public IReadOnlyList<string> Datacenters { get; }

    public InMemoryNamespace this[string datacenter] => _namespaces[datacenter];

    public INamespace Get(string datacenter) =>
        _namespaces.TryGetValue(datacenter, out var ns) ? ns : throw new KeyNotFoundException($"No datacenter '{datacenter}' is configured.");
}
