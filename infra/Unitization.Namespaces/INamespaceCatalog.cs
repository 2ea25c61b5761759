namespace Unitization.Namespaces;

/// <summary>The namespaces of all configured datacenters, by datacenter id.</summary>
public interface INamespaceCatalog
{
    IReadOnlyList<string> Datacenters { get; }

    /// <summary>The namespace of a datacenter; throws <see cref="KeyNotFoundException"/> naming the unknown id.</summary>
    INamespace Get(string datacenter);

    /// <summary>Whether this process follows <paramref name="datacenter"/>'s namespace read-only (it writes nothing there).</summary>
    bool Follows(string datacenter) => false;
}
