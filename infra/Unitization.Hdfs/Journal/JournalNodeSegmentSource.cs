using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Unitization.Hdfs.Journal;

/// <summary>
/// Segments from a JournalNode's HTTP server: <c>GET /getJournal?jid=J&amp;segmentTxId=N&amp;inProgressOk=true</c>
/// (Hadoop's GetJournalEditServlet) answers the whole segment file starting at txid N, or 404 when there is none;
/// the file's name (Content-Disposition) says whether it is in progress. A real JournalNode lists its segments over
/// RPC only (getEditLogManifest); <see cref="FindSegmentStartAsync"/> asks <c>GET /getEditLogManifest</c>, which the
/// project's JournalNode double answers, and knows none after the first 404 (then the tail reads from the first segment).
/// The last txid written comes from the JournalNode's metrics, as its <c>/jmx</c> servlet serves them: the bean
/// <c>Hadoop:service=JournalNode,name=Journal-J</c> (Hadoop's JournalMetrics) with <c>LastWrittenTxId</c> (set once a
/// batch is flushed) and <c>CurrentLagTxns</c> (how far that is behind the quorum's commit, when the node lags).
/// </summary>
internal sealed class JournalNodeSegmentSource(HttpClient http, Uri journalNode, string journalId) : IEditSegmentSource
{
    private bool _noManifest;

    public Uri JournalNode => journalNode;

    public async Task<EditSegment?> FetchAsync(long firstTxId, CancellationToken cancellationToken)
    {
        var uri = new Uri(journalNode, string.Create(
            CultureInfo.InvariantCulture, $"/getJournal?jid={Uri.EscapeDataString(journalId)}&segmentTxId={firstTxId}&inProgressOk=true"));
        using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new HttpRequestException($"JournalNode {journalNode} answered {(int)response.StatusCode} for segment {firstTxId} of journal {journalId}: {text}", null, response.StatusCode);
        }

        var name = response.Content.Headers.ContentDisposition?.FileName?.Trim('"') ?? string.Empty;
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var inProgress = !SegmentFileName.TryParse(name, out _, out var last) || last is null;
        return new EditSegment(firstTxId, inProgress, bytes);
    }

    public async Task<long?> FindSegmentStartAsync(long txId, CancellationToken cancellationToken)
    {
        if (_noManifest)
        {
            return null;
        }

        var uri = new Uri(journalNode, string.Create(
            CultureInfo.InvariantCulture, $"/getEditLogManifest?jid={Uri.EscapeDataString(journalId)}&sinceTxId={txId}&inProgressOk=true"));
        using var response = await http.GetAsync(uri, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
        {
            _noManifest = true;
            return null;
        }

        response.EnsureSuccessStatusCode();
        var manifest = await response.Content.ReadFromJsonAsync(ManifestJson.Default.Manifest, cancellationToken).ConfigureAwait(false);
        return manifest?.Logs.Where(l => l.StartTxId <= txId && (l.IsInProgress || txId <= l.EndTxId)).Select(l => (long?)l.StartTxId).Max();
    }

    public async Task<long?> LastWrittenTxIdAsync(CancellationToken cancellationToken)
    {
        var bean = "Hadoop:service=JournalNode,name=Journal-" + journalId;
        var uri = new Uri(journalNode, "/jmx?qry=" + Uri.EscapeDataString(bean));
        using var response = await http.GetAsync(uri, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"JournalNode {journalNode} answered {(int)response.StatusCode} for its metrics {bean}", null, response.StatusCode);
        }

        var json = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (json.ConfigureAwait(false))
        {
            using var document = await JsonDocument.ParseAsync(json, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!document.RootElement.TryGetProperty("beans", out var beans) || beans.ValueKind != JsonValueKind.Array)
            {
                throw new HttpRequestException($"JournalNode {journalNode}: /jmx answered no \"beans\" array for {bean}");
            }

            foreach (var entry in beans.EnumerateArray())
            {
                if (entry.TryGetProperty("name", out var name) && name.ValueEquals(bean)
                    && entry.TryGetProperty("LastWrittenTxId", out var written) && written.TryGetInt64(out var last))
                {
                    // 0: nothing written since the JournalNode started (the gauge lives in memory only)
                    var lag = entry.TryGetProperty("CurrentLagTxns", out var lagging) && lagging.TryGetInt64(out var behind) && behind > 0 ? behind : 0;
                    return last > 0 ? last + lag : null;
                }
            }

            return null; // no such journal on this node
        }
    }
}
