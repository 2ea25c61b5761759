using Microsoft.Extensions.Logging.Abstractions;
using Unitization.Hdfs.EditLog;
using Unitization.Hdfs.Journal;
using Unitization.Hdfs.JournalNode;
using Unitization.Namespaces;
using Unitization.Namespaces.Edits;
using Unitization.Namespaces.Local;
using Unitization.TestUtils;
using Unitization.TestUtils.Servers;

namespace Unitization.Hdfs.Tests.JournalNode;

public sealed class GatewayJournalTests : IDisposable
{
    private const string Jid = "dcB";
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task RunAsync_ANamespaceAnotherInstanceWrites_ServedAsSegmentsTheTailReadsBackPathByPath()
    {
        var ct = TestContext.Current.CancellationToken;
        var nsRoot = Path.Join(_root.Path, "dcB");
        var journalDir = Path.Join(_root.Path, "journal");
        using var writerNs = new LocalNamespace("dcB", nsRoot, TimeProvider.System);
        await writerNs.MkdirsAsync("/warehouse/t", ct);
        await writerNs.CreateAsync("/warehouse/t/f0", (s, c) => s.WriteAsync(new byte[10], c).AsTask(), overwrite: false, ct);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var journal = new GatewayJournal(nsRoot, Path.Join(journalDir, Jid, "current"), Jid, EditLogLayout.Newest, segmentOps: 4, TimeProvider.System, NullLogger.Instance);
        var running = journal.RunAsync(stop.Token);
        await using var node = await JournalNodeHttpServer.StartAsync(journalDir);
        using var http = new HttpClient();
        var tail = new JournalEditsTail(new JournalNodeSegmentSource(http, node.BaseAddress, Jid), TimeProvider.System);

        // written after the journal started: followed as they are logged
        await writerNs.RenameAsync("/warehouse/t/f0", "/warehouse/t/f1", ct);
        await writerNs.DeleteAsync("/warehouse/t/f1", recursive: false, ct);

        var expected = new (EditOp, string)[] { (EditOp.Mkdirs, "/warehouse/t"), (EditOp.Create, "/warehouse/t/f0"), (EditOp.Create, "/warehouse/t/f0"), (EditOp.Rename, "/warehouse/t/f0"), (EditOp.Delete, "/warehouse/t/f1") };
        List<EditRecord> edits = [];
        Assert.True(await Eventually.TrueAsync(
            async () =>
            {
                edits = await ToListAsync(tail.EditsSinceAsync(TxId.None, follow: false, ct));
                return edits.Count >= expected.Length;
            },
            TimeSpan.FromSeconds(20),
            ct));

        Assert.Equal(expected, edits.Select(e => (e.Op, e.Path)));
        Assert.Equal(edits.Select(e => e.TxId).Order(), edits.Select(e => e.TxId));
        Assert.Contains(Directory.EnumerateFiles(node.CurrentDirectory(Jid)), f => SegmentFileName.TryParse(Path.GetFileName(f), out _, out var last) && last is not null);
        await stop.CancelAsync();
        await running;
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
