using Unitization.Hdfs.EditLog;
using Unitization.Hdfs.EditLog.Model;
using Unitization.Hdfs.EditLog.Ops;
using Unitization.Hdfs.Journal;
using Unitization.Namespaces;
using Unitization.Namespaces.Edits;
using Unitization.Router.Versions;
using Unitization.TestUtils.Hdfs;
using Unitization.TestUtils.Namespaces;

namespace Unitization.Router.Tests.Versions;

/// <summary>
/// The follow of a <c>Kind: hdfs</c> primary: every edit of an in-memory namespace is logged as the op a NameNode logs
/// for it, into an in-progress edit log segment of layout -67 (what Hadoop 3.4 writes), and the version index is fed
/// what <see cref="JournalEditsTail"/> reads back from that segment: decoding, checksums and path edits included.
/// </summary>
internal sealed class HdfsJournalFollow(InMemoryNamespace primary)
{
    private static readonly PermissionStatus Owner = new("hive", "hadoop", 420);

    private readonly EditLogEncoder _segment = NewSegment();
    private long _journalled;

    /// <summary>Logs the namespace's new edits as HDFS ops, then applies up to <paramref name="count"/> edits the tail reads after the index's position.</summary>
    public void CatchUp(PrimaryVersionIndex index, int count)
    {
        foreach (var edit in primary.Edits.Where(e => e.TxId.Value > _journalled))
        {
            _segment.WriteOp(ToHdfsOp(edit));
            _journalled = edit.TxId.Value;
        }

        var tail = new JournalEditsTail(new OneSegment(_segment.ToArray()), TimeProvider.System);
        foreach (var edit in tail.EditsSinceAsync(index.Position, follow: false, CancellationToken.None).ToBlockingEnumerable().Take(count))
        {
            index.Apply(edit);
        }
    }

    private static EditLogEncoder NewSegment()
    {
        var encoder = new EditLogEncoder(EditLogLayout.Newest);
        encoder.WriteHeader();
        return encoder;
    }

    // the op a NameNode logs for the change (a file written in one go is complete at its OP_CLOSE)
    private static EditLogOp ToHdfsOp(EditRecord edit)
    {
        var tx = edit.TxId.Value;
        var ms = edit.Timestamp.ToUnixTimeMilliseconds();
        return edit.Op switch
        {
            EditOp.Create => new AddCloseOp(tx, EditLogOpCode.OP_CLOSE, 0, edit.Path, 3, ms, ms, 134_217_728, ValueList.Of(new Block(1_073_741_824 + tx, edit.Size, 1000 + tx)),
                Owner, null, null, string.Empty, string.Empty, false, 0, 0, RpcIds.None),
            EditOp.Mkdirs => new MkdirOp(tx, 16_384 + tx, edit.Path, ms, Owner, null, ValueList<XAttr>.Empty),
            EditOp.Delete => new DeleteOp(tx, edit.Path, ms, RpcIds.None),
            EditOp.Rename => new RenameOp(tx, edit.Path, edit.Destination!, ms, ValueList.Of<byte>(1), RpcIds.None),
            EditOp.SetTimes => new TimesOp(tx, edit.Path, ms, -1),
            _ => throw new NotSupportedException($"HDFS has no {edit.Op}"),
        };
    }

    private sealed class OneSegment(byte[] bytes) : IEditSegmentSource
    {
        public Task<EditSegment?> FetchAsync(long firstTxId, CancellationToken cancellationToken) =>
            Task.FromResult(firstTxId == 1 ? new EditSegment(1, InProgress: true, bytes) : null);

        public Task<long?> FindSegmentStartAsync(long txId, CancellationToken cancellationToken) => Task.FromResult<long?>(1);
    }
}
