using Unitization.Hdfs.EditLog.Output;

namespace Unitization.Hdfs.EditLog.Ops;

/// <summary>OP_SET_QUOTA_BY_STORAGETYPE: a directory's quota for one storage type (0 RAM_DISK, 1 SSD, 2 DISK, 3 ARCHIVE, 4 PROVIDED, 5 NVDIMM).</summary>
internal sealed record SetQuotaByStorageTypeOp(long TxId, string Source, int StorageType, long DiskspaceQuota) : EditLogOp(TxId)
{
    /// <summary>How many storage types Hadoop 3.4 has.</summary>
    public const int StorageTypeCount = 6;

    public override EditLogOpCode OpCode => EditLogOpCode.OP_SET_QUOTA_BY_STORAGETYPE;

    public static SetQuotaByStorageTypeOp Read(ref OpBodyReader reader, long txId)
    {
        var src = reader.ReadUtf8();
        var type = reader.ReadInt32();
        if (type is < 0 or >= StorageTypeCount)
        {
            throw reader.Error($"unknown storage type {type}");
        }

        return new SetQuotaByStorageTypeOp(txId, src, type, reader.ReadInt64());
    }

    public override void WriteFields(IEditFieldWriter writer)
    {
        writer.Text("SRC", Source);
        writer.Number("STORAGETYPE", StorageType);
        writer.Number("DSQUOTA", DiskspaceQuota);
    }
}
