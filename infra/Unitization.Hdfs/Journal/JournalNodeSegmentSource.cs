using System.Globalization;
using System.Net;
using System.Net.Http.Json;

namespace Unitization.Hdfs.Journal;

/// <summary>
/// Segments from a JournalNode's HTTP server: <c>GET /getJournal?jid=J&amp;segmentTxId=N&amp;inProgressOk=true</c>
/// (Hadoop's GetJournalEditServlet) answers the whole segment file starting at txid N, or 404 when there is none;
/// the file's name (Content-Disposition) says whether it is in progress. A real JournalNode lists its segments over
/// RPC only (getEditLogManifest); <see cref="FindSegmentStartAsync"/> asks <c>GET /getEditLogManifest</c>, which the
/// project's JournalNode double answers, and knows none after the first 404 (then the tail reads from the first segment).
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
}
