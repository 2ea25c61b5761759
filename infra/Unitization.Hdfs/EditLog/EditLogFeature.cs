namespace Unitization.Hdfs.EditLog;

/// <summary>
/// The layout features that change how edit log ops are written, each valued at the layout version that added it
/// (Hadoop's <c>LayoutVersion.Feature</c> and <c>NameNodeLayoutVersion.Feature</c>). Older features (inode ids,
/// retry-cache RPC ids, compact block lists, ...) are in every supported version and are not listed.
/// </summary>
internal enum EditLogFeature
{
    /// <summary>Cache pools and path-based caching (Hadoop 2.3).</summary>
    Caching = -51,

    /// <summary>Extended ACLs: ADD and MKDIR carry ACL entries.</summary>
    ExtendedAcl = -53,

    /// <summary>Rolling upgrade ops.</summary>
    RollingUpgrade = -55,

    /// <summary>Every op carries its length after the opcode.</summary>
    EditLogLength = -56,

    /// <summary>ADD and MKDIR carry extended attributes.</summary>
    XAttrs = -57,

    /// <summary>ADD carries the overwrite flag.</summary>
    CreateOverwrite = -58,

    XAttrsNamespaceExt = -59,

    /// <summary>ADD carries the storage policy id.</summary>
    BlockStoragePolicy = -60,

    Truncate = -61,
    AppendNewBlock = -62,
    QuotaByStorageType = -63,

    /// <summary>ADD carries the erasure coding policy id.</summary>
    ErasureCoding = -64,

    ExpandedStringTable = -65,

    /// <summary>Snapshot create, delete and rename carry a modification time.</summary>
    SnapshotModificationTime = -66,

    NvdimmSupport = -67,
}
