using Microsoft.Extensions.Time.Testing;
using Unitization.Hdfs.EditLog;
using Unitization.Hdfs.EditLog.Model;
using Unitization.Hdfs.EditLog.Ops;
using Unitization.Hdfs.Journal;
using Unitization.Hdfs.JournalNode;
using Unitization.Namespaces;
using Unitization.Namespaces.Edits;
using Unitization.TestUtils;

namespace Unitization.Hdfs.Tests.Journal;

public sealed class JournalEditsTailTests : IDisposable
{
    private const string Jid = "ns1";
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task EditsSinceAsync_FinalizedThenInProgressOverHttp_GivesEveryPathEditInTxidOrder()
    {
        await using var node = await JournalNodeHttpServer.StartAsync(_root.Path);
        Directory.CreateDirectory(node.CurrentDirectory(Jid));
        WriteSegment(node.CurrentDirectory(Jid), 1, 10, finalized: true);
        WriteSegment(node.CurrentDirectory(Jid), 11, 15, finalized: false);
        using var http = new HttpClient();
        var tail = new JournalEditsTail(new JournalNodeSegmentSource(http, node.BaseAddress, Jid), TimeProvider.System);

        var edits = await ToListAsync(tail.EditsSinceAsync(TxId.None, follow: false, TestContext.Current.CancellationToken));

        Assert.Equal(Expected(1, 15), edits.Select(e => (e.TxId.Value, e.Op, e.Path)));
        Assert.Equal(15, tail.LastTxId);
    }

    [Fact]
    public async Task EditsSinceAsync_ResumingAtASegmentsEnd_FetchesOnlyTheNextSegment()
    {
        await using var node = await JournalNodeHttpServer.StartAsync(_root.Path);
        Directory.CreateDirectory(node.CurrentDirectory(Jid));
        WriteSegment(node.CurrentDirectory(Jid), 1, 10, finalized: true);
        WriteSegment(node.CurrentDirectory(Jid), 11, 15, finalized: false);
        using var http = new HttpClient();
        var tail = new JournalEditsTail(new JournalNodeSegmentSource(http, node.BaseAddress, Jid), TimeProvider.System);

        var edits = await ToListAsync(tail.EditsSinceAsync(new TxId(10), follow: false, TestContext.Current.CancellationToken));

        Assert.Equal(Expected(11, 15), edits.Select(e => (e.TxId.Value, e.Op, e.Path)));
        Assert.Equal(0, node.RequestsFor(1));
    }

    [Fact]
    public async Task EditsSinceAsync_ResumingInsideASegmentOfADirectory_SkipsWhatWasRead()
    {
        var dir = Path.Combine(_root.Path, "shared");
        Directory.CreateDirectory(dir);
        WriteSegment(dir, 1, 10, finalized: true);
        WriteSegment(dir, 11, 20, finalized: true);
        var tail = new JournalEditsTail(new SharedEditsDirectorySource(dir), TimeProvider.System);

        var edits = await ToListAsync(tail.EditsSinceAsync(new TxId(13), follow: false, TestContext.Current.CancellationToken));

        Assert.Equal(Expected(14, 20), edits.Select(e => (e.TxId.Value, e.Op, e.Path)));
    }

    [Fact]
    public async Task EditsSinceAsync_Following_SeesOpsAppendedInProgressAndTheNextSegment()
    {
        var dir = Path.Combine(_root.Path, "shared");
        Directory.CreateDirectory(dir);
        WriteSegment(dir, 1, 4, finalized: false);
        var time = new FakeTimeProvider();
        var tail = new JournalEditsTail(new SharedEditsDirectorySource(dir), time) { PollInterval = TimeSpan.FromSeconds(1) };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        stop.CancelAfter(TimeSpan.FromSeconds(30));
        await using var edits = tail.EditsSinceAsync(TxId.None, follow: true, stop.Token).GetAsyncEnumerator(stop.Token);

        var seen = new List<long>();
        async Task TakeAsync(int count)
        {
            for (var i = 0; i < count; i++)
            {
                var next = edits.MoveNextAsync().AsTask();
                while (!next.IsCompleted)
                {
                    time.Advance(TimeSpan.FromSeconds(1));
                    await Task.WhenAny(next, Task.Delay(10, stop.Token));
                }

                Assert.True(await next);
                seen.Add(edits.Current.TxId.Value);
            }
        }

        await TakeAsync(Expected(1, 4).Count);

        // the NameNode writes on, finalizes the segment and starts the next one (with OP_INVALID padding)
        File.Delete(Path.Combine(dir, SegmentFileName.InProgress(1)));
        WriteSegment(dir, 1, 8, finalized: true);
        WriteSegment(dir, 9, 12, finalized: false, padding: 4096);
        await TakeAsync(Expected(5, 12).Count);

        Assert.Equal(Expected(1, 12).Select(e => e.TxId), seen);
    }

    // txid t of a segment starting at `first`: START_LOG_SEGMENT at the first, then MKDIR /d{t}, ADD /d{t}/f,
    // SET_GENSTAMP_V2 (no path) and RENAME in turn
    private static EditLogOp OpAt(long first, long txId) => txId == first
        ? new LogSegmentOp(txId, EditLogOpCode.OP_START_LOG_SEGMENT)
        : (txId % 4) switch
        {
            0 => new MkdirOp(txId, 16384 + txId, $"/d{txId}", txId, new PermissionStatus("u", "g", 493), null, ValueList<XAttr>.Empty),
            1 => new AddCloseOp(txId, EditLogOpCode.OP_ADD, 16384 + txId, $"/d{txId}/f", 3, txId, txId, 512, default, new PermissionStatus("u", "g", 420),
                null, ValueList<XAttr>.Empty, "c", "m", true, 0, 0, RpcIds.None),
            2 => new SetGenstampV2Op(txId, 1000 + txId),
            _ => new RenameOp(txId, $"/d{txId}", $"/e{txId}", txId, default, RpcIds.None),
        };

    private readonly SortedDictionary<long, EditLogOp> _written = [];

    private List<(long TxId, EditOp Op, string Path)> Expected(long from, long to) =>
        _written.Where(w => w.Key >= from && w.Key <= to)
            .SelectMany(w => PathEdits.Of(w.Value))
            .Select(e => (e.TxId.Value, e.Op, e.Path))
            .ToList();

    // a segment of txids first..last; a finalized one ends with OP_END_LOG_SEGMENT at `last`, as a NameNode rolls it
    private void WriteSegment(string dir, long first, long last, bool finalized, int padding = 0)
    {
        var ops = Enumerable.Range((int)first, (int)(last - first + 1))
            .Select(t => finalized && t == last ? new LogSegmentOp(t, EditLogOpCode.OP_END_LOG_SEGMENT) : OpAt(first, t))
            .ToList();
        foreach (var op in ops)
        {
            _written[op.TxId] = op;
        }

        var bytes = EditLogEncoder.Segment(EditLogLayout.Newest, ops).Concat(Enumerable.Repeat((byte)0xFF, padding)).ToArray();
        var name = finalized ? SegmentFileName.Finalized(first, last) : SegmentFileName.InProgress(first);
        File.WriteAllBytes(Path.Combine(dir, name), bytes);
    }

    private static async Task<List<EditRecord>> ToListAsync(IAsyncEnumerable<EditRecord> edits)
    {
        var list = new List<EditRecord>();
        await foreach (var edit in edits)
        {
            list.Add(edit);
        }

        return list;
    }
}
