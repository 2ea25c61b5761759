using Unitization.Hdfs.EditLog.Output;

namespace Unitization.Hdfs.EditLog.Ops;

/// <summary>OP_ALLOCATE_BLOCK_ID: the last allocated block id.</summary>
internal sealed record AllocateBlockIdOp(long TxId, long BlockId) : EditLogOp(TxId)
{
    public override EditLogOpCode OpCode => EditLogOpCode.OP_ALLOCATE_BLOCK_ID;

    public static AllocateBlockIdOp Read(ref OpBodyReader reader, long txId) => new(txId, reader.ReadInt64());

    public override void WriteFields(IEditFieldWriter writer) => writer.Number("BLOCK_ID", BlockId);
}
