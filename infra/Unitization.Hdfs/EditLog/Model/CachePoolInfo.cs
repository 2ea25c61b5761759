using Unitization.Hdfs.EditLog.Output;

namespace Unitization.Hdfs.EditLog.Model;

/// <summary>A cache pool: its name and the fields the op sets.</summary>
internal sealed record CachePoolInfo(
    string PoolName, string? OwnerName, string? GroupName, short? Mode, long? Limit, long? MaxRelativeExpiry, short? DefaultReplication)
{
    /// <summary><c>FSImageSerialization.readCachePoolInfo</c>: name, int flags (1 owner, 2 group, 4 mode, 8 limit, 16 max expiry, 32 replication), the flagged fields.</summary>
    public static CachePoolInfo Read(ref OpBodyReader reader)
    {
        var name = reader.ReadUtf8();
        var flags = reader.ReadInt32();
        var owner = (flags & 0x1) != 0 ? reader.ReadUtf8() : null;
        var group = (flags & 0x2) != 0 ? reader.ReadUtf8() : null;
        short? mode = (flags & 0x4) != 0 ? PermissionStatus.ReadMode(ref reader) : null;
        long? limit = (flags & 0x8) != 0 ? reader.ReadInt64() : null;
        long? maxExpiry = (flags & 0x10) != 0 ? reader.ReadInt64() : null;
        short? replication = (flags & 0x20) != 0 ? reader.ReadInt16() : null;
        if ((flags & ~0x3F) != 0)
        {
            throw reader.Error($"unknown flag in a cache pool: {flags}");
        }

        return new CachePoolInfo(name, owner, group, mode, limit, maxExpiry, replication);
    }

    public void Write(IEditFieldWriter writer)
    {
        writer.Text("POOLNAME", PoolName);
        if (OwnerName is not null)
        {
            writer.Text("OWNERNAME", OwnerName);
        }

        if (GroupName is not null)
        {
            writer.Text("GROUPNAME", GroupName);
        }

        if (Mode is { } mode)
        {
            writer.Number("MODE", mode);
        }

        if (Limit is { } limit)
        {
            writer.Number("LIMIT", limit);
        }

        if (MaxRelativeExpiry is { } maxExpiry)
        {
            writer.Number("MAXRELATIVEEXPIRY", maxExpiry);
        }

        if (DefaultReplication is { } replication)
        {
            writer.Number("DEFAULTREPLICATION", replication);
        }
    }
}
