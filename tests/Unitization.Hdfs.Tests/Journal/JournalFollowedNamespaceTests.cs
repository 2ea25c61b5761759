using Unitization.Hdfs.EditLog;
using Unitization.Hdfs.EditLog.Model;
using Unitization.Hdfs.EditLog.Ops;
using Unitization.Hdfs.Journal;
using Unitization.Namespaces;
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
}
