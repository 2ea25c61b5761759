using Unitization.Namespaces.Configuration;

namespace Unitization.Namespaces;

/// <summary>
/// Builds the namespaces of one <see cref="DatacenterOptions.Kind"/> other than <c>local</c> (which the catalog opens
/// itself): registered in DI by the project that implements the kind (e.g. <c>hdfs</c> by Unitization.Hdfs, whose
/// namespace this project cannot reference) and found by <see cref="NamespaceCatalog"/>.
/// </summary>
public interface INamespaceFactory
{
    /// <summary>The kind built (the canonical name, e.g. <c>hdfs</c>; its aliases are mapped by the catalog).</summary>
    string Kind { get; }

    /// <summary>
    /// The namespace of <paramref name="datacenter"/> (its options already validated). Called on the datacenter's first
    /// use; a returned <see cref="IDisposable"/> is disposed with the catalog.
    /// </summary>
    INamespace Create(DatacenterOptions datacenter, TopologyOptions topology);
}
