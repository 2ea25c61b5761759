using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Unitization.TestUtils.Hdfs;

/// <summary>
/// A JournalNode's edit-serving HTTP endpoint on loopback (port 0), as Hadoop's GetJournalEditServlet answers it:
/// <c>GET /getJournal?jid=J&amp;segmentTxId=N[&amp;inProgressOk=false]</c> streams the segment file starting at txid N from
/// <c>&lt;root&gt;/&lt;J&gt;/current/</c> (<c>edits_N-M</c> or <c>edits_inprogress_N</c>) with its name in
/// Content-Disposition; 404 "No edit log found starting at txid N" when there is none. Requests are counted by segment.
/// </summary>
internal sealed class JournalNodeDouble : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Dictionary<long, int> _requests = [];

    private JournalNodeDouble(WebApplication app, string root)
    {
        _app = app;
        Root = root;
    }

    public string Root { get; }

    public Uri BaseAddress => new(_app.Urls.First());

    /// <summary>The <c>current</c> directory of journal <paramref name="journalId"/>.</summary>
    public string CurrentDirectory(string journalId) => Path.Combine(Root, journalId, "current");

    public int RequestsFor(long segmentTxId)
    {
        lock (_requests)
        {
            return _requests.GetValueOrDefault(segmentTxId);
        }
    }

    public static async Task<JournalNodeDouble> StartAsync(string root)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var node = new JournalNodeDouble(app, root);
        app.MapGet("/getJournal", node.Serve);
        await app.StartAsync().ConfigureAwait(false);
        return node;
    }

    private async Task Serve(HttpContext context)
    {
        var jid = context.Request.Query["jid"].ToString();
        if (!long.TryParse(context.Request.Query["segmentTxId"], out var segmentTxId) || jid.Length == 0 || jid.Contains('/', StringComparison.Ordinal))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        lock (_requests)
        {
            _requests[segmentTxId] = _requests.GetValueOrDefault(segmentTxId) + 1;
        }

        var inProgressOk = !string.Equals(context.Request.Query["inProgressOk"], "false", StringComparison.OrdinalIgnoreCase);
        var directory = CurrentDirectory(jid);
        var prefix = $"edits_{segmentTxId:D19}-";
        var file = Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory).FirstOrDefault(f => Path.GetFileName(f).StartsWith(prefix, StringComparison.Ordinal)
                || (inProgressOk && Path.GetFileName(f) == $"edits_inprogress_{segmentTxId:D19}"))
            : null;
        if (file is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsync($"No edit log found starting at txid {segmentTxId}").ConfigureAwait(false);
            return;
        }

        var bytes = await File.ReadAllBytesAsync(file).ConfigureAwait(false);
        context.Response.Headers.ContentDisposition = "attachment; filename=" + Path.GetFileName(file);
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
