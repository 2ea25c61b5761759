using Unitization.Hdfs.EditLog;
using Unitization.Hdfs.EditLog.Model;
using Unitization.Hdfs.EditLog.Ops;
using Unitization.Namespaces;
using Unitization.Namespaces.Edits;

namespace Unitization.Hdfs.JournalNode;

/// <summary>
/// The ops a NameNode logs for each of the project's edits, numbered from txid 1 on (segment boundaries are the
/// <see cref="JournalWriter"/>'s): a file written in one go is OP_ADD (create, overwrite) then OP_CLOSE with its
/// blocks; a directory OP_MKDIR; a rename OP_RENAME_OLD (what WebHDFS RENAME logs); a delete OP_DELETE; new times
/// OP_TIMES (access time -1: unchanged); an exchange, which HDFS has no op for, three renames through a temporary
/// name under <see cref="NamespacePath.InternalRoot"/>. Inode, block ids and generation stamps are counted from
/// Hadoop's first values, so the same edits always give the same ops.
/// </summary>
internal sealed class NameNodeOps
{
    /// <summary>HDFS's default block size (<c>dfs.blocksize</c>, 128 MiB).</summary>
    public const long BlockSize = 134_217_728;

    private static readonly PermissionStatus FileOwner = new("unitization", "supergroup", 420); // rw-r--r--
    private static readonly PermissionStatus DirectoryOwner = new("unitization", "supergroup", 493); // rwxr-xr-x

    private long _inodeId = 16_385; // INodeId.ROOT_INODE_ID; the first inode created gets the next
    private long _blockId = 1_073_741_824; // SequentialBlockIdGenerator.LAST_RESERVED_BLOCK_ID + 1
    private long _generationStamp = 1_000; // GenerationStamp.LAST_RESERVED_STAMP

    /// <summary>The txid of the last op handed out.</summary>
    public long LastTxId { get; private set; }

    /// <summary>The next txid, for an op the caller writes itself (a segment's start or end).</summary>
    public long NextTxId() => ++LastTxId;

    /// <summary>The ops for <paramref name="edit"/>, with the next txids.</summary>
    public IReadOnlyList<EditLogOp> For(EditRecord edit)
    {
        ArgumentNullException.ThrowIfNull(edit);
        var ms = edit.Timestamp.ToUnixTimeMilliseconds();
        switch (edit.Op)
        {
            case EditOp.Create:
                var inode = ++_inodeId;
                var add = new AddCloseOp(NextTxId(), EditLogOpCode.OP_ADD, inode, edit.Path, 3, ms, ms, BlockSize, ValueList<Block>.Empty, FileOwner,
                    null, null, "DFSClient_unitization", "127.0.0.1", true, 0, 0, RpcIds.None);
                var close = new AddCloseOp(NextTxId(), EditLogOpCode.OP_CLOSE, 0, edit.Path, 3, ms, ms, BlockSize, BlocksOf(edit.Size), FileOwner,
                    null, null, string.Empty, string.Empty, false, 0, 0, RpcIds.None);
                return [add, close];
            case EditOp.Mkdirs:
                return [new MkdirOp(NextTxId(), ++_inodeId, edit.Path, ms, DirectoryOwner, null, ValueList<XAttr>.Empty)];
            case EditOp.Rename:
                return [new RenameOldOp(NextTxId(), edit.Path, edit.Destination ?? throw Malformed(edit, "a rename without a destination"), ms, RpcIds.None)];
            case EditOp.Delete:
                return [new DeleteOp(NextTxId(), edit.Path, ms, RpcIds.None)];
            case EditOp.SetTimes:
                return [new TimesOp(NextTxId(), edit.Path, ms, -1)];
            case EditOp.Exchange:
                var other = edit.Destination ?? throw Malformed(edit, "an exchange without its second path");
                var aside = $"{NamespacePath.InternalRoot}/exchange/{edit.TxId.Value}";
                return
                [
                    new RenameOldOp(NextTxId(), edit.Path, aside, ms, RpcIds.None),
                    new RenameOldOp(NextTxId(), other, edit.Path, ms, RpcIds.None),
                    new RenameOldOp(NextTxId(), aside, other, ms, RpcIds.None),
                ];
            default:
                throw Malformed(edit, $"an edit of kind {edit.Op} HDFS has no op for");
        }
    }

    private ValueList<Block> BlocksOf(long size)
    {
        var blocks = new List<Block>();
        for (var offset = 0L; offset < size; offset += BlockSize)
        {
            blocks.Add(new Block(++_blockId, Math.Min(BlockSize, size - offset), ++_generationStamp));
        }

        return ValueList.Of([.. blocks]);
    }

    private static InvalidDataException Malformed(EditRecord edit, string what) =>
        new($"Edit {edit.TxId} ({edit.Op} {edit.Path}) is {what}.");
}
