using Unitization.Namespaces;

namespace Unitization.TestUtils.Namespaces;

/// <summary>A catalog of <see cref="InMemoryNamespace"/>s, one per datacenter id.</summary>
public sealed class InMemoryNamespaceCatalog : INamespaceCatalog
{
    private readonly Dictionary<string, InMemoryNamespace> _namespaces;
    private readonly Dictionary<string, INamespace> _presented = new(StringComparer.Ordinal);

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

    /// <summary>
    /// Makes <see cref="Get"/> answer <paramref name="ns"/> for <paramref name="datacenter"/> (e.g. a namespace wrapping
    /// its in-memory one, as a <c>Kind: hdfs</c> namespace wraps its WebHDFS files); the indexer keeps the in-memory one.
    /// </summary>
    public void Present(string datacenter, INamespace ns) => _presented[datacenter] = ns;

    public INamespace Get(string datacenter) =>
        _presented.TryGetValue(datacenter, out var presented) ? presented
        : _namespaces.TryGetValue(datacenter, out var ns) ? ns : throw new KeyNotFoundException($"Unknown datacenter '{datacenter}'. Configured: {string.Join(", ", Datacenters)}.");
}
