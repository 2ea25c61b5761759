using Unitization.Hdfs.EditLog.Output;

namespace Unitization.Hdfs.EditLog.Ops;

/// <summary>OP_SET_QUOTA: a directory's namespace and disk space quotas.</summary>
internal sealed record SetQuotaOp(long TxId, string Source, long NamespaceQuota, long DiskspaceQuota) : EditLogOp(TxId)
{
    public override EditLogOpCode OpCode => EditLogOpCode.OP_SET_QUOTA;

    public static SetQuotaOp Read(ref OpBodyReader reader, long txId)
    {
        var src = reader.ReadUtf8();
        var ns = reader.ReadInt64();
        return new SetQuotaOp(txId, src, ns, reader.ReadInt64());
    }

    public override void WriteFields(IEditFieldWriter writer)
    {
        writer.Text("SRC", Source);
        writer.Number("NSQUOTA", NamespaceQuota);
        writer.Number("DSQUOTA", DiskspaceQuota);
    }
}
