using Unitization.Hdfs.EditLog.Output;

namespace Unitization.Hdfs.EditLog.Ops;

/// <summary>
/// One decoded op of a NameNode edit log: its transaction id and its fields. <see cref="WriteFields"/> gives the
/// fields after TXID in the order and with the names of Hadoop's <c>FSEditLogOp.toXml</c> (what <c>hdfs oev</c> prints).
/// </summary>
internal abstract record EditLogOp(long TxId)
{
    public abstract EditLogOpCode OpCode { get; }

    public abstract void WriteFields(IEditFieldWriter writer);
}
