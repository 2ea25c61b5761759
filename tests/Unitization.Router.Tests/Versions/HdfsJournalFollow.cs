using Unitization.Hdfs.EditLog;
using Unitization.Hdfs.Journal;
using Unitization.Hdfs.JournalNode;
using Unitization.Namespaces;
using Unitization.Router.Versions;
using Unitization.TestUtils.Namespaces;

namespace Unitization.Router.Tests.Versions;

/// <summary>
/// The follow of a <c>Kind: hdfs</c> primary through its JournalNode: every edit of an in-memory namespace (the
/// NameNode's files) is logged as the ops a NameNode logs for it (<see cref="JournalWriter"/>: layout -67, segments of
/// four ops rolled finalized, the last one in progress) into a journal the JournalNode double serves over HTTP, and the
/// version index is fed what a <see cref="JournalFollowedNamespace"/> reads back from there, in the journal's own txids:
/// HTTP, segment resumes, decoding, checksums and path edits included. The router's catalog presents dcA as that
/// namespace, so the freshness check compares with the journal's last txid too.
/// </summary>
internal sealed class HdfsJournalFollow : IDisposable
{
    private readonly InMemoryNamespace _files;
    private readonly JournalWriter _writer;
    private long _journalled;

    public HdfsJournalFollow(InMemoryNamespace files, JournalNodeHttpServer node, HttpClient http)
    {
        _files = files;
        var jid = "j" + Guid.NewGuid().ToString("N");
        _writer = new JournalWriter(node.CurrentDirectory(jid), EditLogLayout.Newest, segmentOps: 4);
        // the NameNode logs a write before it answers: the tip is its last path-changing txid once the pending edits are logged
        Namespace = new JournalFollowedNamespace(
            files,
            () => new JournalEditsTail(new JournalNodeSegmentSource(http, node.BaseAddress, jid), TimeProvider.System),
            tip: () =>
            {
                Journal();
                return new TxId(_writer.LastEditOpTxId);
            });
    }

    /// <summary>The <c>Kind: hdfs</c> namespace: files from the in-memory namespace, edits from the journal.</summary>
    public JournalFollowedNamespace Namespace { get; }

    /// <summary>The NameNode logs the files' new edits; returns its last txid (what a copy started now may record).</summary>
    public TxId Journal()
    {
        foreach (var edit in _files.Edits.Where(e => e.TxId.Value > _journalled))
        {
            _writer.Append(edit);
            _journalled = edit.TxId.Value;
        }

        return new TxId(_writer.LastTxId);
    }

    /// <summary>Logs the files' new edits, then applies up to <paramref name="count"/> edits the journal gives after the index's position.</summary>
    public void CatchUp(PrimaryVersionIndex index, int count)
    {
        Journal();
        foreach (var edit in Namespace.EditsSinceAsync(index.Position, follow: false, CancellationToken.None).ToBlockingEnumerable().Take(count))
        {
            index.Apply(edit);
        }
    }

    public void Dispose()
    {
        _writer.Dispose();
        Namespace.Dispose();
    }
}
