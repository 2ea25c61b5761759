using Unitization.Hdfs.EditLog.Output;

namespace Unitization.Hdfs.EditLog.Model;

/// <summary>A cache directive (what to keep in DataNode memory): id and the fields the op sets.</summary>
internal sealed record CacheDirectiveInfo(long Id, string? Path, short? Replication, string? Pool, long? Expiration)
{
    /// <summary><c>FSImageSerialization.readCacheDirectiveInfo</c>: id, int flags (1 path, 2 replication, 4 pool, 8 expiration), the flagged fields.</summary>
    public static CacheDirectiveInfo Read(ref OpBodyReader reader)
    {
        var id = reader.ReadInt64();
        var flags = reader.ReadInt32();
        var path = (flags & 0x1) != 0 ? HadoopPath.Normalize(reader.ReadUtf8(), reader.Offset + reader.Position) : null;
        short? replication = (flags & 0x2) != 0 ? reader.ReadInt16() : null;
        var pool = (flags & 0x4) != 0 ? reader.ReadUtf8() : null;
        long? expiration = (flags & 0x8) != 0 ? reader.ReadInt64() : null;
        if ((flags & ~0xF) != 0)
        {
            throw reader.Error($"unknown flags set in a cache directive: {flags}");
        }

        return new CacheDirectiveInfo(id, path, replication, pool, expiration);
    }

    public void Write(IEditFieldWriter writer)
    {
        writer.Number("ID", Id);
        if (Path is not null)
        {
            writer.Text("PATH", Path);
        }

        if (Replication is { } replication)
        {
            writer.Number("REPLICATION", replication);
        }

        if (Pool is not null)
        {
            writer.Text("POOL", Pool);
        }

        if (Expiration is { } expiration)
        {
            writer.Number("EXPIRATION", expiration);
        }
    }
}
