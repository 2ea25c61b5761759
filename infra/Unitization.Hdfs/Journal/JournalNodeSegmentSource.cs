using System.Globalization;
using System.Net;

namespace Unitization.Hdfs.Journal;

/// <summary>
/// Segments from a JournalNode's HTTP server: <c>GET /getJournal?jid=J&amp;segmentTxId=N&amp;inProgressOk=true</c>
/// (Hadoop's GetJournalEditServlet) answers the whole segment file starting at txid N, or 404 when there is none;
/// the file's name (Content-Disposition) says whether it is in progress. A JournalNode cannot list its segments
/// over HTTP, so <see cref="FindSegmentStartAsync"/> knows none.
/// </summary>
internal sealed class JournalNodeSegmentSource(HttpClient http, Uri journalNode, string journalId) : IEditSegmentSource
{
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

    public Task<long?> FindSegmentStartAsync(long txId, CancellationToken cancellationToken) => Task.FromResult<long?>(null);
}
