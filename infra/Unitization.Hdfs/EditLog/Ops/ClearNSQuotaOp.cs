using Unitization.Hdfs.EditLog.Output;

namespace Unitization.Hdfs.EditLog.Ops;

/// <summary>OP_CLEAR_NS_QUOTA (obsolete, still readable): a directory's namespace quota cleared.</summary>
internal sealed record ClearNSQuotaOp(long TxId, string Source) : EditLogOp(TxId)
{
    public override EditLogOpCode OpCode => EditLogOpCode.OP_CLEAR_NS_QUOTA;

    public static ClearNSQuotaOp Read(ref OpBodyReader reader, long txId) => new(txId, reader.ReadUtf8());

    public override void WriteFields(IEditFieldWriter writer) => writer.Text("SRC", Source);
}
