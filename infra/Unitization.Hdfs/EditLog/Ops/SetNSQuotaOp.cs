using Unitization.Hdfs.EditLog.Output;

namespace Unitization.Hdfs.EditLog.Ops;

/// <summary>OP_SET_NS_QUOTA (obsolete, still readable): a directory's namespace quota.</summary>
internal sealed record SetNSQuotaOp(long TxId, string Source, long NamespaceQuota) : EditLogOp(TxId)
{
    public override EditLogOpCode OpCode => EditLogOpCode.OP_SET_NS_QUOTA;

    public static SetNSQuotaOp Read(ref OpBodyReader reader, long txId)
    {
        var src = reader.ReadUtf8();
        return new SetNSQuotaOp(txId, src, reader.ReadInt64());
    }

    public override void WriteFields(IEditFieldWriter writer)
    {
        writer.Text("SRC", Source);
        writer.Number("NSQUOTA", NamespaceQuota);
    }
}
