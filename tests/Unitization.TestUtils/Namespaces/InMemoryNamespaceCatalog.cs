using Unitization.Namespaces;

namespace Unitization.TestUtils.Namespaces;

/// <summary>A catalog of <see cref="InMemoryNamespace"/>s, one per datacenter id.</summary>
public sealed class InMemoryNamespaceCatalog : INamespaceCatalog
{
    private readonly Dictionary<string, InMemoryNamespace> _namespaces;

    public InMemoryNamespaceCatalog(params string[] datacenters)
        : this(datacenters.Select(dc => new InMemoryNamespace(dc)))
    {
    }

    public InMemoryNamespaceCatalog(IEnumerable<InMemoryNamespace> namespaces)
    {
        _namespaces = namespaces.ToDictionary(ns => ns.Name, StringComparer.Ordinal);
        Datacenters = [.. _namespaces.Keys];
    }

    public IReadOnlyList<string> Datacenters { get; }

    public InMemoryNamespace this[string datacenter] => _namespaces[datacenter];

    public INamespace Get(string datacenter) =>
        _namespaces.TryGetValue(datacenter, out var ns) ? ns : throw new KeyNotFoundException($"Unknown datacenter '{datacenter}'. Configured: {string.Join(", ", Datacenters)}.");
}
