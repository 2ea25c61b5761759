namespace Unitization.Router.Mounts;

/// <summary>How a mount maps reads and writes onto datacenters.</summary>
public enum MountKind
{
    /// <summary>The first destination is the primary (all writes), the rest are read-only replicas.</summary>
    Mirrored,

    /// <summary>Only replicas: reads are served, writes are refused the way WebHDFS refuses them (403).</summary>
    ReadOnly,

    /// <summary>Scratch and temporary data: reads and writes go to the caller's own datacenter.</summary>
    Follow,
}
