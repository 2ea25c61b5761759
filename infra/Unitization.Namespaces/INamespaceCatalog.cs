namespace Unitization.Namespaces;

/// <summary>The namespaces of all configured datacenters, by datacenter id.</summary>
public interface INamespaceCatalog
{
    IReadOnlyList<string> Datacenters { get; }

    /// <summary>The namespace of a datacenter; throws <see cref="KeyNotFoundException"/> naming the unknown id.</summary>
    INamespace Get(string datacenter);
}
