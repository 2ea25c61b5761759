using Unitization.Hdfs.EditLog;
using Unitization.Hdfs.EditLog.Model;
using Unitization.Hdfs.EditLog.Ops;
using Unitization.Namespaces.Edits;

namespace Unitization.Hdfs.Tests.EditLog;

public class PathEditsTests
{
    private static readonly PermissionStatus Perm = new("u", "g", 493);

    [Fact]
    public void Of_OpsThatChangeAPath_GiveTheProjectsEdits()
    {
        var cases = new (EditLogOp Op, EditOp Kind, string Path, string? Destination)[]
        {
            (new MkdirOp(1, 16385, "/w", 10, Perm, null, null), EditOp.Mkdirs, "/w", null),
            (new AddCloseOp(2, EditLogOpCode.OP_ADD, 16386, "/w/f", 3, 11, 11, 512, default, Perm, null, null, "c", "m", false, 0, 0, RpcIds.None), EditOp.Create, "/w/f", null),
            (new AddBlockOp(3, "/w/f", null, new Block(1, 0, 1), RpcIds.None), EditOp.Create, "/w/f", null),
            (new UpdateBlocksOp(4, "/w/f", ValueList.Of(new Block(1, 5, 1)), RpcIds.None), EditOp.Create, "/w/f", null),
            (new AppendOp(5, "/w/f", "c", "m", false, RpcIds.None), EditOp.Create, "/w/f", null),
            (new TruncateOp(6, "/w/f", "c", "m", 2, 12, null), EditOp.Create, "/w/f", null),
            (new SymlinkOp(7, 16387, "/w/l", "/w/f", 12, 12, Perm, RpcIds.None), EditOp.Create, "/w/l", null),
            (new TimesOp(8, "/w/f", 13, 13), EditOp.SetTimes, "/w/f", null),
            (new SetReplicationOp(9, "/w/f", 2), EditOp.SetTimes, "/w/f", null),
            (new SetPermissionsOp(10, "/w/f", 420), EditOp.SetTimes, "/w/f", null),
            (new SetOwnerOp(11, "/w/f", "x", null), EditOp.SetTimes, "/w/f", null),
            (new SetAclOp(12, "/w/f", default), EditOp.SetTimes, "/w/f", null),
            (new XAttrOp(13, EditLogOpCode.OP_REMOVE_XATTR, "/w/f", default, RpcIds.None), EditOp.SetTimes, "/w/f", null),
            (new RenameOldOp(14, "/w/f", "/w/g", 14, RpcIds.None), EditOp.Rename, "/w/f", "/w/g"),
            (new RenameOp(15, "/w/g", "/v", 15, default, RpcIds.None), EditOp.Rename, "/w/g", "/v"),
            (new DeleteOp(16, "/v", 16, RpcIds.None), EditOp.Delete, "/v", null),
            (new SnapshotRootOp(17, EditLogOpCode.OP_ALLOW_SNAPSHOT, "/w"), EditOp.SetTimes, "/w", null),
            (new SnapshotOp(18, EditLogOpCode.OP_CREATE_SNAPSHOT, "/w", "s1", 18, RpcIds.None), EditOp.Mkdirs, "/w/.snapshot/s1", null),
            (new RenameSnapshotOp(19, "/w", "s1", "s2", 19, RpcIds.None), EditOp.Rename, "/w/.snapshot/s1", "/w/.snapshot/s2"),
            (new SnapshotOp(20, EditLogOpCode.OP_DELETE_SNAPSHOT, "/w", "s2", 20, RpcIds.None), EditOp.Delete, "/w/.snapshot/s2", null),
        };

        foreach (var (op, kind, path, destination) in cases)
        {
            var edit = Assert.Single(PathEdits.Of(op));
            Assert.Equal((op.TxId, kind, path, destination), (edit.TxId.Value, edit.Op, edit.Path, edit.Destination));
        }
    }

    [Fact]
    public void Of_Concat_TouchesTheTargetAndDeletesEverySourceAtItsTxid()
    {
        var edits = PathEdits.Of(new ConcatDeleteOp(7, "/t", ValueList.Of("/s1", "/s2"), 70, RpcIds.None)).ToList();

        Assert.Equal([(EditOp.Create, "/t"), (EditOp.Delete, "/s1"), (EditOp.Delete, "/s2")], edits.Select(e => (e.Op, e.Path)));
        Assert.All(edits, e => Assert.Equal(7, e.TxId.Value));
    }

    [Fact]
    public void Of_OpsThatChangeNoPath_GiveNoEdit()
    {
        Assert.Empty(PathEdits.Of(new SetGenstampV2Op(1, 1001)));
        Assert.Empty(PathEdits.Of(new LogSegmentOp(2, EditLogOpCode.OP_START_LOG_SEGMENT)));
        Assert.Empty(PathEdits.Of(new AllocateBlockIdOp(3, 1073741825)));
        Assert.Empty(PathEdits.Of(new ReassignLeaseOp(4, "a", "/f", "b")));
    }

    [Fact]
    public void Of_AddWithBlocks_CarriesTheFileSizeAndTime()
    {
        var close = new AddCloseOp(2, EditLogOpCode.OP_CLOSE, 0, "/w/f", 3, 1_700_000_000_000, 0, 512,
            ValueList.Of(new Block(1, 512, 1), new Block(2, 100, 1)), Perm, null, null, string.Empty, string.Empty, false, 0, 0, RpcIds.None);

        var edit = Assert.Single(PathEdits.Of(close));

        Assert.Equal(612, edit.Size);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000), edit.Timestamp);
    }
}
