using Unitization.Hdfs.EditLog;
using Unitization.Hdfs.EditLog.Ops;
using Unitization.Hdfs.Journal;
using Unitization.Hdfs.JournalNode;
using Unitization.Namespaces;
using Unitization.Namespaces.Edits;
using Unitization.TestUtils;

namespace Unitization.Hdfs.Tests.JournalNode;

public sealed class JournalWriterTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 12, 6, 4, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void Append_EditsOfEveryKind_SegmentsDecodeToTheOpsANameNodeLogsWithTheirPaths()
    {
        using (var writer = new JournalWriter(_root.Path, segmentOps: 5))
        {
            foreach (var edit in Edits())
            {
                writer.Append(edit);
            }
        }

        var names = Directory.EnumerateFiles(_root.Path).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray();
        // start, mkdir, add, close, end | start, rename, times, delete, end | start, 3 renames (the exchange), end | start, mkdir in progress
        Assert.Equal([SegmentFileName.Finalized(1, 5), SegmentFileName.Finalized(6, 10), SegmentFileName.Finalized(11, 15), SegmentFileName.InProgress(16)], names);
        var ops = names.SelectMany(n => new EditLogDecoder(File.ReadAllBytes(Path.Join(_root.Path, n))).ReadAll()).ToList();
        Assert.Equal(Enumerable.Range(1, 17).Select(t => (long)t), ops.Select(o => o.TxId));
        Assert.Equal(
            [
                EditLogOpCode.OP_START_LOG_SEGMENT, EditLogOpCode.OP_MKDIR, EditLogOpCode.OP_ADD, EditLogOpCode.OP_CLOSE, EditLogOpCode.OP_END_LOG_SEGMENT,
                EditLogOpCode.OP_START_LOG_SEGMENT, EditLogOpCode.OP_RENAME_OLD, EditLogOpCode.OP_TIMES, EditLogOpCode.OP_DELETE, EditLogOpCode.OP_END_LOG_SEGMENT,
                EditLogOpCode.OP_START_LOG_SEGMENT, EditLogOpCode.OP_RENAME_OLD, EditLogOpCode.OP_RENAME_OLD, EditLogOpCode.OP_RENAME_OLD, EditLogOpCode.OP_END_LOG_SEGMENT,
                EditLogOpCode.OP_START_LOG_SEGMENT, EditLogOpCode.OP_MKDIR,
            ],
            ops.Select(o => o.OpCode));
        var close = Assert.IsType<AddCloseOp>(ops[3]);
        Assert.Equal(("/w/f", 300L), (close.Path, close.Blocks.Sum(b => b.NumBytes)));
        var paths = ops.SelectMany(PathEdits.Of).Select(e => (e.TxId.Value, e.Op, e.Path, e.Destination)).ToList();
        Assert.Contains((7L, EditOp.Rename, "/w/f", (string?)"/w/g"), paths);
        Assert.Contains((9L, EditOp.Delete, "/w/g", (string?)null), paths);
        Assert.Contains((13L, EditOp.Rename, "/w/b", (string?)"/w/a"), paths);
    }

    [Fact]
    public void Append_AFileLargerThanABlock_ClosedWithOneBlockPer128MiB()
    {
        using (var writer = new JournalWriter(_root.Path))
        {
            writer.Append(new EditRecord(new TxId(1), EditOp.Create, "/big", null, (2 * NameNodeOps.BlockSize) + 1, null, At));
        }

        var close = new EditLogDecoder(File.ReadAllBytes(Path.Join(_root.Path, SegmentFileName.InProgress(1)))).ReadAll().OfType<AddCloseOp>().Last();
        Assert.Equal([NameNodeOps.BlockSize, NameNodeOps.BlockSize, 1L], close.Blocks.Select(b => b.NumBytes));
        Assert.Equal(3, close.Blocks.Select(b => b.BlockId).Distinct().Count());
    }

    [Fact]
    public void Constructor_OldSegmentsInTheDirectory_Rebuilt()
    {
        File.WriteAllBytes(Path.Join(_root.Path, SegmentFileName.Finalized(1, 99)), [1, 2, 3]);

        using var writer = new JournalWriter(_root.Path);

        Assert.Empty(Directory.EnumerateFiles(_root.Path));
    }

    [Theory]
    [InlineData(-50)]
    [InlineData(-68)]
    public void Constructor_UnsupportedLayout_Refused(int layout)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new JournalWriter(_root.Path, layout));
    }

    private static IEnumerable<EditRecord> Edits() =>
    [
        new(new TxId(1), EditOp.Mkdirs, "/w", null, 0, null, At),
        new(new TxId(2), EditOp.Create, "/w/f", null, 300, "x", At),
        new(new TxId(3), EditOp.Rename, "/w/f", "/w/g", 0, null, At),
        new(new TxId(4), EditOp.SetTimes, "/w/g", null, 0, null, At),
        new(new TxId(5), EditOp.Delete, "/w/g", null, 0, null, At),
        new(new TxId(6), EditOp.Exchange, "/w/a", "/w/b", 0, null, At),
        new(new TxId(7), EditOp.Mkdirs, "/x", null, 0, null, At),
    ];
}
