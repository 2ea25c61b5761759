using Unitization.Hdfs.EditLog.Model;
using Unitization.Hdfs.EditLog.Output;

namespace Unitization.Hdfs.EditLog.Ops;

/// <summary>OP_SET_XATTR and OP_REMOVE_XATTR: extended attributes of a path set or removed.</summary>
internal sealed record XAttrOp(long TxId, EditLogOpCode Code, string Source, ValueList<XAttr> XAttrs, RpcIds Rpc) : EditLogOp(TxId)
{
    public override EditLogOpCode OpCode => Code;

    public static XAttrOp Read(ref OpBodyReader reader, long txId, EditLogOpCode code)
    {
        var xattrs = XAttr.ReadProto(ref reader, out var src);
        return new XAttrOp(txId, code, src, xattrs, RpcIds.Read(ref reader));
    }

    public override void WriteFields(IEditFieldWriter writer)
    {
        writer.Text("SRC", Source);
        XAttr.WriteAll(writer, XAttrs);
        Rpc.Write(writer);
    }
}
