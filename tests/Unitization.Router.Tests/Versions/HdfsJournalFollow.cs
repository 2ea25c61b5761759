using Unitization.Hdfs.EditLog;
using Unitization.Hdfs.Journal;
using Unitization.Hdfs.JournalNode;
using Unitization.Namespaces;
using Unitization.Router.Versions;
using Unitization.TestUtils.Namespaces;

namespace Unitization.Router.Tests.Versions;

/// <summary>
/// A <c>Kind: hdfs</c> primary followed through its JournalNode: every edit of an in-memory namespace (the NameNode's
/// files) is logged, when <see cref="Journal"/> is called right after the write (a NameNode logs a write before it
/// answers), as the ops a NameNode logs for it (<see cref="JournalWriter"/>: layout -67, segments of four ops rolled
/// finalized by default, the last one in progress) into a journal the JournalNode double serves over HTTP. The namespace is a
/// real <see cref="JournalFollowedNamespace"/> over it: its tails poll every <c>pollInterval</c> (so its last txid
/// lags the writes as it does against a real JournalNode) and its sync asks the double's <c>/jmx</c> LastWrittenTxId.
/// </summary>
internal sealed class HdfsJournalFollow : IDisposable
{
    private readonly InMemoryNamespace _files;
    private readonly JournalWriter _writer;
    private readonly Lock _gate = new();
    private long _journalled;

    public HdfsJournalFollow(InMemoryNamespace files, JournalNodeHttpServer node, HttpClient http, TimeSpan pollInterval, int segmentOps = 4)
    {
        _files = files;
        var jid = "j" + Guid.NewGuid().ToString("N");
        _writer = new JournalWriter(node.CurrentDirectory(jid), EditLogLayout.Newest, segmentOps);
        var source = new JournalNodeSegmentSource(http, node.BaseAddress, jid);
        Namespace = new JournalFollowedNamespace(
            files,
            () => new JournalEditsTail(source, TimeProvider.System) { PollInterval = pollInterval },
            TimeProvider.System,
            lastWritten: source.LastWrittenTxIdAsync);
    }

    /// <summary>The <c>Kind: hdfs</c> namespace: files from the in-memory namespace, edits from the journal.</summary>
    public JournalFollowedNamespace Namespace { get; }

    /// <summary>The NameNode logs the files' new edits (call it after each write, before the write counts as answered).</summary>
    public void Journal()
    {
        lock (_gate)
        {
            foreach (var edit in _files.Edits.Where(e => e.TxId.Value > _journalled))
            {
                _writer.Append(edit);
                _journalled = edit.TxId.Value;
            }
        }
    }

    /// <summary>Applies up to <paramref name="count"/> edits the journal gives after the index's position (the router's follower).</summary>
    public void CatchUp(PrimaryVersionIndex index, int count)
    {
        foreach (var edit in Namespace.EditsSinceAsync(index.Position, follow: false, CancellationToken.None).ToBlockingEnumerable().Take(count))
        {
            index.Apply(edit);
        }
    }

    /// <summary>Follows the journal into the index until cancelled, as the router's edit log follower does.</summary>
    public async Task FollowAsync(PrimaryVersionIndex index, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var edit in Namespace.EditsSinceAsync(index.Position, follow: true, cancellationToken))
            {
                index.Apply(edit);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _writer.Dispose();
        }

        Namespace.Dispose();
    }
}
