using Unitization.Hdfs.EditLog.Model;
using Unitization.Hdfs.EditLog.Output;

namespace Unitization.Hdfs.EditLog.Ops;

/// <summary>
/// OP_ADD (a file created or opened for write) and OP_CLOSE (a file completed). CLOSE carries no ACL, xattrs,
/// client, overwrite flag, policies or RPC ids: they keep their defaults (empty client name and machine).
/// </summary>
internal sealed record AddCloseOp(
    long TxId,
    EditLogOpCode Code,
    long InodeId,
    string Path,
    short Replication,
    long ModificationTime,
    long AccessTime,
    long BlockSize,
    ValueList<Block> Blocks,
    PermissionStatus Permissions,
    ValueList<AclEntry>? AclEntries,
    ValueList<XAttr>? XAttrs,
    string ClientName,
    string ClientMachine,
    bool Overwrite,
    byte StoragePolicyId,
    byte ErasureCodingPolicyId,
    RpcIds Rpc) : EditLogOp(TxId)
{
    public override EditLogOpCode OpCode => Code;

    public static AddCloseOp Read(ref OpBodyReader reader, long txId, EditLogOpCode code)
    {
        var inodeId = reader.ReadInt64();
        var path = reader.ReadUtf8();
        var replication = reader.ReadInt16();
        var mtime = reader.ReadInt64();
        var atime = reader.ReadInt64();
        var blockSize = reader.ReadInt64();
        var blocks = Block.ReadArray(ref reader);
        var permissions = PermissionStatus.Read(ref reader);
        if (code != EditLogOpCode.OP_ADD)
        {
            return new AddCloseOp(txId, code, inodeId, path, replication, mtime, atime, blockSize, blocks, permissions,
                null, null, string.Empty, string.Empty, false, 0, 0, RpcIds.None);
        }

        var acl = AclEntry.ReadCompact(ref reader);
        var xattrs = XAttr.ReadForInode(ref reader);
        var clientName = reader.ReadUtf8();
        var clientMachine = reader.ReadUtf8();
        var overwrite = reader.Supports(EditLogFeature.CreateOverwrite) && reader.ReadBoolean();
        var storagePolicy = reader.Supports(EditLogFeature.BlockStoragePolicy) ? reader.ReadByte() : (byte)0;
        var ecPolicy = reader.Supports(EditLogFeature.ErasureCoding) ? reader.ReadByte() : (byte)0;
        return new AddCloseOp(txId, code, inodeId, path, replication, mtime, atime, blockSize, blocks, permissions,
            acl, xattrs, clientName, clientMachine, overwrite, storagePolicy, ecPolicy, RpcIds.Read(ref reader));
    }

    public override void WriteFields(IEditFieldWriter writer)
    {
        writer.Number("LENGTH", 0);
        writer.Number("INODEID", InodeId);
        writer.Text("PATH", Path);
        writer.Number("REPLICATION", Replication);
        writer.Number("MTIME", ModificationTime);
        writer.Number("ATIME", AccessTime);
        writer.Number("BLOCKSIZE", BlockSize);
        writer.Text("CLIENT_NAME", ClientName);
        writer.Text("CLIENT_MACHINE", ClientMachine);
        writer.Boolean("OVERWRITE", Overwrite);
        foreach (var block in Blocks)
        {
            block.Write(writer);
        }

        Permissions.Write(writer);
        if (Code == EditLogOpCode.OP_ADD)
        {
            if (AclEntries is { } acl)
            {
                AclEntry.WriteAll(writer, acl);
            }

            writer.Number("ERASURE_CODING_POLICY_ID", (sbyte)ErasureCodingPolicyId);
            Rpc.Write(writer);
        }
    }
}
