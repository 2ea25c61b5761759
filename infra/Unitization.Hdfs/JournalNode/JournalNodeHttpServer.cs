using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Unitization.Hdfs.Journal;

namespace Unitization.Hdfs.JournalNode;

/// <summary>
/// A JournalNode's HTTP server over a journal directory (<c>&lt;root&gt;/&lt;jid&gt;/current/edits_*</c>):
/// <list type="bullet">
/// <item><c>GET /getJournal?jid=J&amp;segmentTxId=N[&amp;inProgressOk=false][&amp;storageInfo=LV:NSID:CTIME:CID]</c>, as
/// Hadoop's GetJournalEditServlet: the segment file starting at txid N (<c>edits_N-M</c>, or <c>edits_inprogress_N</c>
/// unless inProgressOk=false), named in Content-Disposition; 404 "No edit log found starting at txid N"; 403 when
/// storageInfo names another namespace or cluster than <see cref="StorageInfo"/>; 400 for a bad parameter.</item>
/// <item><c>GET /getEditLogManifest?jid=J&amp;sinceTxId=N[&amp;inProgressOk=false]</c>: the segments holding txids from N
/// on, as JSON in the shape of QJournalProtocol's RemoteEditLogManifest (<c>{"logs":[{"startTxId":1,"endTxId":9,
/// "isInProgress":false}]}</c>). A real JournalNode answers this over RPC only; its HTTP server says 404, and
/// <see cref="JournalNodeSegmentSource"/> then reads from the first segment.</item>
/// <item><c>GET /jmx[?qry=Hadoop:service=JournalNode,name=Journal-J]</c>, as Hadoop's JMX servlet serves a JournalNode's
/// JournalMetrics: <c>{"beans":[{"name":…,"modelerType":"Journal-J","tag.Context":"dfs","LastWrittenTxId":N,
/// "CurrentLagTxns":0}]}</c>, N the last whole op of the journal's newest segment (the one node of the double never lags).</item>
/// </list>
/// </summary>
internal sealed class JournalNodeHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Dictionary<long, int> _requests = [];

    private JournalNodeHttpServer(WebApplication app, string root, string storageInfo)
    {
        _app = app;
        Root = root;
        StorageInfo = storageInfo;
    }

    /// <summary>The journal directory: one <c>&lt;jid&gt;/current</c> per journal.</summary>
    public string Root { get; }

    /// <summary>This node's storage info, <c>layoutVersion:namespaceID:cTime:clusterID</c> (StorageInfo.toColonSeparatedString).</summary>
    public string StorageInfo { get; }

    public Uri BaseAddress => new(_app.Urls.First());

    /// <summary>Cancelled when the server stops, also on SIGTERM or Ctrl-C, which its host handles.</summary>
    public CancellationToken Stopping => _app.Lifetime.ApplicationStopping;

    public string CurrentDirectory(string journalId) => Path.Combine(Root, journalId, "current");

    /// <summary>How many <c>/getJournal</c> requests asked for the segment starting at <paramref name="segmentTxId"/>.</summary>
    public int RequestsFor(long segmentTxId)
    {
        lock (_requests)
        {
            return _requests.GetValueOrDefault(segmentTxId);
        }
    }

    /// <summary>Starts serving <paramref name="root"/> at <paramref name="url"/> (port 0: any free port, see <see cref="BaseAddress"/>).</summary>
    public static async Task<JournalNodeHttpServer> StartAsync(string root, string url = "http://127.0.0.1:0", string storageInfo = "-67:1:0:CID-unitization", ILoggerFactory? logging = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var node = new JournalNodeHttpServer(app, root, storageInfo);
        app.MapGet("/getJournal", node.ServeSegmentAsync);
        app.MapGet("/getEditLogManifest", node.ServeManifestAsync);
        app.MapGet("/jmx", node.ServeMetricsAsync);
        await app.StartAsync().ConfigureAwait(false);
        if (logging is not null)
        {
            HdfsLog.JournalNodeListening(logging.CreateLogger<JournalNodeHttpServer>(), node.BaseAddress.ToString(), root);
        }

        return node;
    }

    private async Task ServeSegmentAsync(HttpContext context)
    {
        var query = context.Request.Query;
        if (JournalIdProblem(query["jid"]) is { } jidProblem)
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, jidProblem).ConfigureAwait(false);
            return;
        }

        if (!long.TryParse(query["segmentTxId"], NumberStyles.None, CultureInfo.InvariantCulture, out var segmentTxId))
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, $"segmentTxId '{query["segmentTxId"]}' is not a txid").ConfigureAwait(false);
            return;
        }

        if (query["storageInfo"].ToString() is { Length: > 0 } expected && StorageMismatch(expected) is { } mismatch)
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, mismatch).ConfigureAwait(false);
            return;
        }

        lock (_requests)
        {
            _requests[segmentTxId] = _requests.GetValueOrDefault(segmentTxId) + 1;
        }

        var inProgressOk = !string.Equals(query["inProgressOk"], "false", StringComparison.OrdinalIgnoreCase);
        var jid = query["jid"].ToString();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var segment = Segments(jid).FirstOrDefault(s => s.First == segmentTxId && (inProgressOk || s.Last is not null));
            if (segment.Path is null)
            {
                break;
            }

            byte[] bytes;
            try
            {
                bytes = await File.ReadAllBytesAsync(segment.Path, context.RequestAborted).ConfigureAwait(false);
            }
            catch (FileNotFoundException)
            {
                continue; // finalized (renamed) between the listing and the read: list again
            }

            context.Response.Headers.ContentDisposition = "attachment; filename=" + Path.GetFileName(segment.Path);
            context.Response.ContentType = "application/octet-stream";
            context.Response.ContentLength = bytes.Length;
            await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        await RefuseAsync(context, StatusCodes.Status404NotFound, $"No edit log found starting at txid {segmentTxId}").ConfigureAwait(false);
    }

    private async Task ServeManifestAsync(HttpContext context)
    {
        var query = context.Request.Query;
        if (JournalIdProblem(query["jid"]) is { } jidProblem)
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, jidProblem).ConfigureAwait(false);
            return;
        }

        if (!long.TryParse(query["sinceTxId"], NumberStyles.None, CultureInfo.InvariantCulture, out var since))
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, $"sinceTxId '{query["sinceTxId"]}' is not a txid").ConfigureAwait(false);
            return;
        }

        var inProgressOk = !string.Equals(query["inProgressOk"], "false", StringComparison.OrdinalIgnoreCase);
        var logs = Segments(query["jid"].ToString())
            .Where(s => (s.Last is null ? inProgressOk : s.Last >= since))
            .OrderBy(s => s.First)
            .Select(s => new ManifestLog(s.First, s.Last ?? -12345, s.Last is null)) // HdfsServerConstants.INVALID_TXID for an open segment
            .ToArray();
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, new Manifest(logs), ManifestJson.Default.Manifest, context.RequestAborted).ConfigureAwait(false);
    }

    private async Task ServeMetricsAsync(HttpContext context)
    {
        const string Prefix = "Hadoop:service=JournalNode,name=Journal-";
        var query = context.Request.Query["qry"].ToString();
        IEnumerable<string> journals = Directory.Exists(Root)
            ? Directory.EnumerateDirectories(Root).Select(d => Path.GetFileName(d)).Where(jid => Directory.Exists(CurrentDirectory(jid))).Order(StringComparer.Ordinal)
            : [];
        context.Response.ContentType = "application/json; charset=utf-8";
        var json = new Utf8JsonWriter(context.Response.Body, new JsonWriterOptions { Indented = true });
        await using (json.ConfigureAwait(false))
        {
            json.WriteStartObject();
            json.WriteStartArray("beans");
            foreach (var jid in journals)
            {
                var name = Prefix + jid;
                if (query.Length > 0 && query != name && query != "Hadoop:*" && query != Prefix + "*")
                {
                    continue;
                }

                var written = await new SharedEditsDirectorySource(CurrentDirectory(jid)).LastWrittenTxIdAsync(context.RequestAborted).ConfigureAwait(false);
                json.WriteStartObject();
                json.WriteString("name", name);
                json.WriteString("modelerType", "Journal-" + jid);
                json.WriteString("tag.Context", "dfs");
                json.WriteString("tag.Hostname", Environment.MachineName);
                json.WriteNumber("LastWrittenTxId", written ?? 0);
                json.WriteNumber("CurrentLagTxns", 0);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }
    }

    private IEnumerable<(string Path, long First, long? Last)> Segments(string jid)
    {
        var directory = CurrentDirectory(jid);
        if (!Directory.Exists(directory))
        {
            yield break;
        }

        foreach (var path in Directory.EnumerateFiles(directory, "edits_*"))
        {
            if (SegmentFileName.TryParse(Path.GetFileName(path), out var first, out var last))
            {
                yield return (path, first, last);
            }
        }
    }

    private string? StorageMismatch(string expected)
    {
        var theirs = expected.Split(':');
        var ours = StorageInfo.Split(':');
        return theirs.Length != 4 ? $"storageInfo '{expected}' is not layoutVersion:namespaceID:cTime:clusterID"
            : theirs[1] != ours[1] || theirs[3] != ours[3]
                ? $"This node has namespaceId '{ours[1]}' and clusterId '{ours[3]}' but the requesting node expected '{theirs[1]}' and '{theirs[3]}'"
            : null;
    }

    private static string? JournalIdProblem(string? jid) =>
        string.IsNullOrEmpty(jid) ? "jid is missing"
        : jid.Contains('/', StringComparison.Ordinal) || jid.Contains('\\', StringComparison.Ordinal) || jid is "." or ".." ? $"jid '{jid}' is not a journal id"
        : null;

    private static Task RefuseAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(message);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
