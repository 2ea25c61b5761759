using Microsoft.Extensions.Logging;
using Unitization.Namespaces;
using Unitization.Namespaces.Local;

namespace Unitization.Hdfs.JournalNode;

/// <summary>
/// The journal of a namespace the project's gateway serves over WebHDFS: follows that namespace's edit log (opened
/// read-only next to the gateway that writes it) and writes each edit as the ops a NameNode logs into
/// <c>&lt;journal dir&gt;/&lt;jid&gt;/current</c> (<see cref="JournalWriter"/>; only what changes <paramref name="subtree"/>, the
/// directory the gateway serves as HDFS's root, with paths relative to it), which <see cref="JournalNodeHttpServer"/>
/// serves. Stands in for a NameNode and its JournalNodes where no HDFS runs; a failed read is logged and resumed
/// after the last edit written.
/// </summary>
internal sealed class GatewayJournal(
    string namespaceRoot, string currentDirectory, string journalId, int layoutVersion, int segmentOps, TimeProvider time, ILogger logger, string subtree = "/")
{
    private readonly NamespaceSubtree _subtree = new(subtree);

    /// <summary>Follows until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var writer = new JournalWriter(currentDirectory, layoutVersion, segmentOps);
        var lastRead = 0L;
        HdfsLog.JournalFollowing(logger, journalId, namespaceRoot, segmentOps, layoutVersion);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                using var ns = new LocalNamespace(journalId, namespaceRoot, time, logger: null, readOnly: true);
                await foreach (var edit in ns.EditsSinceAsync(new TxId(lastRead), follow: true, cancellationToken).ConfigureAwait(false))
                {
                    if (_subtree.Map(edit) is { } logged)
                    {
                        writer.Append(logged);
                    }

                    lastRead = edit.TxId.Value;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or InvalidDataException)
            {
                HdfsLog.JournalFollowFailed(logger, ex, journalId, namespaceRoot, lastRead);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
