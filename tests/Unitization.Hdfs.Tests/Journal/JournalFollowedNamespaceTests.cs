using Unitization.Hdfs.EditLog;
using Unitization.Hdfs.EditLog.Model;
using Unitization.Hdfs.EditLog.Ops;
using Unitization.Hdfs.Journal;
using Unitization.Hdfs.JournalNode;
using Unitization.Namespaces;
using Unitization.Namespaces.Edits;
using Unitization.TestUtils;
using Unitization.TestUtils.Namespaces;

namespace Unitization.Hdfs.Tests.Journal;

public sealed class JournalFollowedNamespaceTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task EditsSinceAsync_ComesFromTheJournalAndFilesFromTheWrappedNamespace()
    {
        var files = new InMemoryNamespace("dcB");
        files.Write("/warehouse/f", [1, 2, 3]);
        var ops = new EditLogOp[]
        {
            new LogSegmentOp(1, EditLogOpCode.OP_START_LOG_SEGMENT),
            new MkdirOp(2, 16386, "/warehouse", 5, new PermissionStatus("hive", "hadoop", 493), null, ValueList<XAttr>.Empty),
            new DeleteOp(3, "/tmp/x", 6, RpcIds.None),
        };
        File.WriteAllBytes(Path.Combine(_root.Path, SegmentFileName.InProgress(1)), EditLogEncoder.Segment(EditLogLayout.Newest, ops));
        using var ns = new JournalFollowedNamespace(files, () => new JournalEditsTail(new SharedEditsDirectorySource(_root.Path), TimeProvider.System));

        var edits = new List<(long, string)>();
        await foreach (var edit in ns.EditsSinceAsync(TxId.None, follow: false, TestContext.Current.CancellationToken))
        {
            edits.Add((edit.TxId.Value, edit.Path));
        }

        Assert.Equal([(2L, "/warehouse"), (3L, "/tmp/x")], edits);
        Assert.Equal(new TxId(3), ns.LastTxId);
        Assert.Equal("dcB", ns.Name);
        Assert.Equal(3, (await ns.GetStatusAsync("/warehouse/f", TestContext.Current.CancellationToken))!.Length);
    }

    [Fact]
    public async Task SyncAsync_TailsPollingHourly_ReadsEveryEditWrittenBeforeTheCall()
    {
        var ct = TestContext.Current.CancellationToken;
        using var writer = new JournalWriter(Current, segmentOps: 4);
        using var ns = HourlyTails(new SharedEditsDirectorySource(Current));

        for (var i = 1; i <= 7; i++)
        {
            // segments of four ops roll every other edit: the sync reads across finalized segments into the new one
            Mkdir(writer, i);
            Assert.Equal(new TxId(writer.LastEditOpTxId), await ns.SyncAsync(ct));
            Assert.Equal(new TxId(writer.LastEditOpTxId), ns.LastTxId);
        }
    }

    [Fact]
    public async Task SyncAsync_AfterAFollowerStoppedMidFetch_ReadsThroughTheLastWrittenTxId()
    {
        // a follower takes the first edit of a fetch and stops (a bounded catch-up): the highest txid given out is past
        // what was read through, and the sync's background tail must still count (it used to start past it, and
        // then never did: the sync waited for its hourly poll)
        var ct = TestContext.Current.CancellationToken;
        using var writer = new JournalWriter(Current, segmentOps: 100);
        using var ns = HourlyTails(new SharedEditsDirectorySource(Current));
        for (var i = 1; i <= 3; i++)
        {
            Mkdir(writer, i);
        }

        await foreach (var edit in ns.EditsSinceAsync(TxId.None, follow: false, ct))
        {
            Assert.Equal("/d1", edit.Path);
            break;
        }

        using var hang = CancellationTokenSource.CreateLinkedTokenSource(ct);
        hang.CancelAfter(TimeSpan.FromMinutes(2)); // a guard against waiting for the hourly poll, not a time bound
        Assert.Equal(new TxId(writer.LastEditOpTxId), await ns.SyncAsync(hang.Token));
    }

    [Fact]
    public async Task SyncAsync_AFetchFindsNothingNew_WakesTheTailAgainInsteadOfWaitingForItsPoll()
    {
        // a tail polling hourly whose first fetch after the sync's wake-up finds nothing (as when a segment is finalized
        // and renamed between its listing and its fetch) goes back to its poll: the sync wakes it again
        var ct = TestContext.Current.CancellationToken;
        using var writer = new JournalWriter(Current, segmentOps: 100);
        var source = new MissingFetches(new SharedEditsDirectorySource(Current));
        using var ns = HourlyTails(source);
        Mkdir(writer, 1);
        Assert.Equal(new TxId(writer.LastEditOpTxId), await ns.SyncAsync(ct));

        Mkdir(writer, 2);
        source.Miss = 1;
        using var hang = CancellationTokenSource.CreateLinkedTokenSource(ct);
        hang.CancelAfter(TimeSpan.FromMinutes(2)); // a guard against waiting for the hourly poll, not a time bound
        Assert.Equal(new TxId(writer.LastEditOpTxId), await ns.SyncAsync(hang.Token));
        Assert.Equal(0, source.Miss);
    }

    private string Current => Path.Combine(_root.Path, "current");

    // the NameNode logs mkdirs /d{i} as edit i
    private static void Mkdir(JournalWriter writer, int i) =>
        writer.Append(new EditRecord(new TxId(i), EditOp.Mkdirs, $"/d{i}", null, 0, null, new DateTimeOffset(2026, 12, 6, 4, 0, 0, TimeSpan.Zero)));

    // a namespace over the journal source, its tails polling hourly
    private static JournalFollowedNamespace HourlyTails(IEditSegmentSource source) => new(
        new InMemoryNamespace("dcB"),
        () => new JournalEditsTail(source, TimeProvider.System) { PollInterval = TimeSpan.FromHours(1) },
        TimeProvider.System,
        lastWritten: source.LastWrittenTxIdAsync);

    // a source whose next Miss fetches find nothing
    private sealed class MissingFetches(IEditSegmentSource inner) : IEditSegmentSource
    {
        private int _miss;

        public int Miss
        {
            get => Math.Max(0, Volatile.Read(ref _miss));
            set => Volatile.Write(ref _miss, value);
        }

        public Task<EditSegment?> FetchAsync(long firstTxId, CancellationToken cancellationToken) =>
            Interlocked.Decrement(ref _miss) >= 0 ? Task.FromResult<EditSegment?>(null) : inner.FetchAsync(firstTxId, cancellationToken);

        public Task<long?> FindSegmentStartAsync(long txId, CancellationToken cancellationToken) => inner.FindSegmentStartAsync(txId, cancellationToken);

        public Task<long?> LastWrittenTxIdAsync(CancellationToken cancellationToken) => inner.LastWrittenTxIdAsync(cancellationToken);
    }

    [Fact]
    public async Task SyncAsync_JournalCannotTell_ThrowsNamingTheNamespace()
    {
        using var ns = new JournalFollowedNamespace(
            new InMemoryNamespace("dcB"),
            () => new JournalEditsTail(new SharedEditsDirectorySource(_root.Path), TimeProvider.System),
            TimeProvider.System,
            lastWritten: _ => Task.FromResult<long?>(null));

        var error = await Assert.ThrowsAsync<IOException>(() => ns.SyncAsync(TestContext.Current.CancellationToken));
        Assert.Contains("hdfs namespace dcB", error.Message, StringComparison.Ordinal);
    }
}
