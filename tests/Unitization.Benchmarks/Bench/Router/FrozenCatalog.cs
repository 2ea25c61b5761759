using Unitization.Namespaces;

namespace Unitization.Benchmarks.Bench.Router;

/// <summary>A catalog over fixed namespaces, for the in-process resolve benchmark.</summary>
internal sealed class FrozenCatalog(IReadOnlyList<INamespace> namespaces) : INamespaceCatalog
{
    public IReadOnlyList<string> Datacenters { get; } = namespaces.Select(n => n.Name).ToArray();

    public INamespace Get(string datacenter) =>
        namespaces.FirstOrDefault(n => n.Name == datacenter) ?? throw new KeyNotFoundException($"No datacenter '{datacenter}'.");
}
