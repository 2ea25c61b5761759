using Unitization.Hdfs.EditLog.Output;

namespace Unitization.Hdfs.EditLog.Ops;

/// <summary>OP_START_LOG_SEGMENT and OP_END_LOG_SEGMENT: the first and last op of a segment; no fields.</summary>
internal sealed record LogSegmentOp(long TxId, EditLogOpCode Code) : EditLogOp(TxId)
{
    public override EditLogOpCode OpCode => Code;

    public override void WriteFields(IEditFieldWriter writer)
    {
    }
}
