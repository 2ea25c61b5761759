using Unitization.Hdfs.EditLog.Output;

namespace Unitization.Hdfs.EditLog.Ops;

/// <summary>OP_REASSIGN_LEASE: a file's lease moved to a new holder (lease recovery).</summary>
internal sealed record ReassignLeaseOp(long TxId, string LeaseHolder, string Path, string NewHolder) : EditLogOp(TxId)
{
    public override EditLogOpCode OpCode => EditLogOpCode.OP_REASSIGN_LEASE;

    public static ReassignLeaseOp Read(ref OpBodyReader reader, long txId)
    {
        var holder = reader.ReadUtf8();
        var path = reader.ReadUtf8();
        return new ReassignLeaseOp(txId, holder, path, reader.ReadUtf8());
    }

    public override void WriteFields(IEditFieldWriter writer)
    {
        writer.Text("LEASEHOLDER", LeaseHolder);
        writer.Text("PATH", Path);
        writer.Text("NEWHOLDER", NewHolder);
    }
}
