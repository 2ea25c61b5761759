using Unitization.Hdfs.EditLog.Model;
using Unitization.Hdfs.EditLog.Ops;
using Unitization.Namespaces;
using Unitization.Namespaces.Edits;

namespace Unitization.Hdfs.EditLog;

/// <summary>
/// Turns the HDFS ops that change a path into the project's edits (txid, path, destination), which the router's
/// version service applies: what is written under a path, deleted or renamed, or has its attributes changed.
/// <list type="bullet">
/// <item>ADD, CLOSE, APPEND, ADD_BLOCK, UPDATE_BLOCKS, TRUNCATE, SYMLINK: <see cref="EditOp.Create"/> of the path
/// (size: the blocks' bytes, or the truncated length).</item>
/// <item>MKDIR: <see cref="EditOp.Mkdirs"/>. DELETE: <see cref="EditOp.Delete"/>. RENAME_OLD, RENAME:
/// <see cref="EditOp.Rename"/> source to destination. TIMES: <see cref="EditOp.SetTimes"/>.</item>
/// <item>CONCAT_DELETE: <see cref="EditOp.Create"/> of the target, then a <see cref="EditOp.Delete"/> of each source, all at the op's txid.</item>
/// <item>SET_REPLICATION, SET_PERMISSIONS, SET_OWNER, SET_ACL, SET_XATTR, REMOVE_XATTR, ALLOW_SNAPSHOT,
/// DISALLOW_SNAPSHOT: the path's own attributes changed, nothing below it: <see cref="EditOp.SetTimes"/>, the
/// project's edit that touches only its path.</item>
/// <item>CREATE_SNAPSHOT, DELETE_SNAPSHOT, RENAME_SNAPSHOT: <see cref="EditOp.Mkdirs"/>, <see cref="EditOp.Delete"/>,
/// <see cref="EditOp.Rename"/> of <c>root/.snapshot/name</c>, the path HDFS reads a snapshot at.</item>
/// </list>
/// Other ops (blocks ids, generation stamps, leases, tokens, caching, quotas, policies, segment markers) change no
/// path's content or attributes and give no edit. A timestamp is the op's own where it has one, else the Unix epoch.
/// </summary>
internal static class PathEdits
{
    public static IEnumerable<EditRecord> Of(EditLogOp op)
    {
        ArgumentNullException.ThrowIfNull(op);
        var tx = new TxId(op.TxId);
        switch (op)
        {
            case AddCloseOp a:
                yield return Edit(tx, EditOp.Create, a.Path, null, SizeOf(a.Blocks), a.ModificationTime);
                break;
            case AppendOp a:
                yield return Edit(tx, EditOp.Create, a.Path, null, 0, 0);
                break;
            case AddBlockOp a:
                yield return Edit(tx, EditOp.Create, a.Path, null, 0, 0);
                break;
            case UpdateBlocksOp u:
                yield return Edit(tx, EditOp.Create, u.Path, null, SizeOf(u.Blocks), 0);
                break;
            case TruncateOp t:
                yield return Edit(tx, EditOp.Create, t.Source, null, t.NewLength, t.Timestamp);
                break;
            case SymlinkOp s:
                yield return Edit(tx, EditOp.Create, s.Path, null, 0, s.ModificationTime);
                break;
            case MkdirOp m:
                yield return Edit(tx, EditOp.Mkdirs, m.Path, null, 0, m.Timestamp);
                break;
            case DeleteOp d:
                yield return Edit(tx, EditOp.Delete, d.Path, null, 0, d.Timestamp);
                break;
            case RenameOldOp r:
                yield return Edit(tx, EditOp.Rename, r.Source, r.Destination, 0, r.Timestamp);
                break;
            case RenameOp r:
                yield return Edit(tx, EditOp.Rename, r.Source, r.Destination, 0, r.Timestamp);
                break;
            case TimesOp t:
                yield return Edit(tx, EditOp.SetTimes, t.Path, null, 0, t.ModificationTime);
                break;
            case ConcatDeleteOp c:
                yield return Edit(tx, EditOp.Create, c.Target, null, 0, c.Timestamp);
                foreach (var source in c.Sources)
                {
                    yield return Edit(tx, EditOp.Delete, source, null, 0, c.Timestamp);
                }

                break;
            case SetReplicationOp s:
                yield return Edit(tx, EditOp.SetTimes, s.Path, null, 0, 0);
                break;
            case SetPermissionsOp s:
                yield return Edit(tx, EditOp.SetTimes, s.Source, null, 0, 0);
                break;
            case SetOwnerOp s:
                yield return Edit(tx, EditOp.SetTimes, s.Source, null, 0, 0);
                break;
            case SetAclOp s:
                yield return Edit(tx, EditOp.SetTimes, s.Source, null, 0, 0);
                break;
            case XAttrOp x:
                yield return Edit(tx, EditOp.SetTimes, x.Source, null, 0, 0);
                break;
            case SnapshotRootOp s:
                yield return Edit(tx, EditOp.SetTimes, s.SnapshotRoot, null, 0, 0);
                break;
            case SnapshotOp s:
                yield return Edit(
                    tx, s.Code == EditLogOpCode.OP_CREATE_SNAPSHOT ? EditOp.Mkdirs : EditOp.Delete, SnapshotPath(s.SnapshotRoot, s.SnapshotName), null, 0, s.ModificationTime);
                break;
            case RenameSnapshotOp r:
                yield return Edit(tx, EditOp.Rename, SnapshotPath(r.SnapshotRoot, r.OldName), SnapshotPath(r.SnapshotRoot, r.NewName), 0, r.ModificationTime);
                break;
            default:
                break;
        }
    }

    private static string SnapshotPath(string root, string name) => (root.EndsWith('/') ? root : root + "/") + ".snapshot/" + name;

    private static long SizeOf(ValueList<Block> blocks)
    {
        long size = 0;
        foreach (var block in blocks)
        {
            size += block.NumBytes;
        }

        return size;
    }

    private static EditRecord Edit(TxId tx, EditOp kind, string path, string? destination, long size, long millis) =>
        new(tx, kind, Normalize(path), destination is null ? null : Normalize(destination), size, null, DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(millis, -62135596800000L, 253402300799999L)));

    // HDFS paths in the log are absolute and normalized already (checked in one pass, the full normalization only
    // when not); one with characters the project's paths refuse is kept as it is
    private static string Normalize(string path)
    {
        if (Check(path) != PathCheck.NeedsNormalizing)
        {
            return path;
        }

        try
        {
            return NamespacePath.Normalize(path);
        }
        catch (NamespacePathException)
        {
            return path;
        }
    }

    private static PathCheck Check(string path)
    {
        if (path.Length is 0 or > NamespacePath.MaxLength || path[0] != '/')
        {
            return PathCheck.Refused;
        }

        var result = PathCheck.Normal;
        var componentStart = 1;
        for (var i = 1; i <= path.Length; i++)
        {
            if (i == path.Length || path[i] == '/')
            {
                var length = i - componentStart;
                // a long name may be over the UTF-8 byte limit: the full normalization measures it
                if ((length == 0 && path.Length > 1) || length > NamespacePath.MaxComponentBytes / 3
                    || (length == 1 && path[componentStart] == '.') || (length == 2 && path[componentStart] == '.' && path[componentStart + 1] == '.'))
                {
                    result = PathCheck.NeedsNormalizing;
                }

                componentStart = i + 1;
                continue;
            }

            var c = path[i];
            if (c is ':' or '\\' || char.IsControl(c))
            {
                return PathCheck.Refused;
            }
        }

        return result;
    }

    private enum PathCheck
    {
        Normal,
        NeedsNormalizing,
        Refused,
    }
}
