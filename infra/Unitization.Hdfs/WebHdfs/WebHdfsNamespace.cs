using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Unitization.Namespaces;
using Unitization.Namespaces.Edits;

namespace Unitization.Hdfs.WebHdfs;

/// <summary>
/// A datacenter's HDFS reached over WebHDFS REST (a NameNode's HTTP port with its DataNodes, or HttpFS), as an
/// <see cref="INamespace"/>. Reads: GETFILESTATUS, LISTSTATUS_BATCH (paged with <c>startAfter</c>; LISTSTATUS where
/// the server has no batches), OPEN (offset and length, following the redirect to a DataNode), GETCONTENTSUMMARY,
/// GETFILECHECKSUM (HDFS's own answer, unchanged). Writes: a file is created in two steps (the NameNode names a
/// DataNode, the bytes stream to it) as a hidden sibling <c>.NAME.GUID._COPYING_</c> with <c>overwrite=false</c>,
/// then renamed into place in one RENAME (<c>renameoptions=OVERWRITE</c> when replacing), so a reader never sees a
/// partial file (a file under <c>/.unitization</c>, the replicator's staging that no reader sees, is written in place);
/// MKDIRS, RENAME (<c>renameoptions=NONE</c>: fails when the destination exists), DELETE, SETTIMES.
/// Several NameNode URLs make an HA pair (<see cref="WebHdfsClient"/>). Versions do not come from here: a
/// <c>Kind: hdfs</c> namespace is wrapped in <c>JournalFollowedNamespace</c>, which reads them from the NameNode's edit
/// log, so <see cref="EditsSinceAsync"/> and <see cref="LastTxId"/> throw; the edits returned by writes carry
/// <see cref="TxId.None"/>. HDFS cannot swap two paths, so <see cref="ExchangeAsync"/> throws (see the README's
/// atomic publish).
/// </summary>
internal sealed class WebHdfsNamespace : INamespace, IStoredFileChecksums
{
    public const string CopyingSuffix = "._COPYING_";

    private const int BatchUnknown = 0;
    private const int BatchSupported = 1;
    private const int BatchUnsupported = 2;

    private readonly WebHdfsClient _client;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private int _batch;

    /// <param name="datacenter">The datacenter this HDFS belongs to (the namespace's <see cref="Name"/>).</param>
    /// <param name="nameNodes">The NameNodes' (or HttpFS servers') HTTP base URLs, e.g. <c>http://nn1:9870</c>; several for HA.</param>
    /// <param name="auth">Who the requests are made as.</param>
    /// <param name="handler">The HTTP handler; null: <see cref="WebHdfsHttp.CreateHandler"/> for <paramref name="auth"/>.</param>
    public WebHdfsNamespace(string datacenter, IReadOnlyList<Uri> nameNodes, WebHdfsAuth auth, HttpMessageHandler? handler, TimeProvider time, ILogger logger, WebHdfsRetry? retry = null)
    {
        ArgumentNullException.ThrowIfNull(auth);
        Name = datacenter;
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _client = new WebHdfsClient(datacenter, nameNodes, auth, handler ?? WebHdfsHttp.CreateHandler(auth), time, logger, retry);
    }

    public string Name { get; }

    /// <summary>GETFILECHECKSUM is computed by the DataNodes from the CRCs they stored with the blocks.</summary>
    public bool HasStoredChecksums => true;

    /// <summary>The NameNode requests go to first (the last one that answered as active).</summary>
    public Uri ActiveNameNode => _client.ActiveNameNode;

    public TxId LastTxId => throw new NotSupportedException(
        $"Namespace {Name} (HDFS over WebHDFS) has no edit log of its own to read over WebHDFS: its txids come from the NameNode's edit log (JournalFollowedNamespace).");

    public IAsyncEnumerable<EditRecord> EditsSinceAsync(TxId after, bool follow, CancellationToken cancellationToken) => throw new NotSupportedException(
        $"Namespace {Name} (HDFS over WebHDFS) cannot list edits over WebHDFS: they come from the NameNode's edit log (JournalFollowedNamespace follows a JournalNode).");

    public Task<EditRecord> ExchangeAsync(string first, string second, CancellationToken cancellationToken) => throw new NotSupportedException(
        $"Namespace {Name} (HDFS over WebHDFS): HDFS cannot swap two paths in one step; replicas are replaced through versioned directories (see infra/Unitization.Hdfs/README.md).");

    public async Task<NamespaceEntry?> GetStatusAsync(string path, CancellationToken cancellationToken)
    {
        path = NamespacePath.Normalize(path);
        var status = await GetFileStatusAsync(path, cancellationToken).ConfigureAwait(false);
        return status is null ? null : Entry(path, status);
    }

    /// <summary>GETFILESTATUS with every field HDFS gives (block size, replication, owner); null when nothing is there.</summary>
    public async Task<WebHdfsFileStatus?> GetFileStatusAsync(string path, CancellationToken cancellationToken)
    {
        path = NamespacePath.Normalize(path);
        try
        {
            using var json = await _client.JsonAsync(HttpMethod.Get, "GETFILESTATUS", path, null, cancellationToken).ConfigureAwait(false);
            return WebHdfsFileStatus.Parse(Require(json, "GETFILESTATUS", path).GetProperty("FileStatus"));
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    public async IAsyncEnumerable<NamespaceEntry> ListAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        path = NamespacePath.Normalize(path);
        var showInternal = NamespacePath.IsInternal(path);
        await foreach (var status in ListStatusAsync(path, cancellationToken).ConfigureAwait(false))
        {
            if (status.PathSuffix.Length == 0)
            {
                yield return Entry(path, status); // a file lists as itself
                continue;
            }

            var child = path == "/" ? "/" + status.PathSuffix : path + "/" + status.PathSuffix;
            if ((!showInternal && NamespacePath.IsInternal(child)) || IsCopying(status.PathSuffix))
            {
                continue;
            }

            yield return Entry(child, status);
        }
    }

    /// <summary>
    /// The children of a directory as HDFS lists them: LISTSTATUS_BATCH page after page (each next page starting
    /// after the last name of the one before, so a directory of a million files is never one answer), or one
    /// LISTSTATUS where the server does not know batches (an older HttpFS, the project's gateway before it had them).
    /// </summary>
    public async IAsyncEnumerable<WebHdfsFileStatus> ListStatusAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        path = NamespacePath.Normalize(path);
        string? startAfter = null;
        while (Volatile.Read(ref _batch) != BatchUnsupported)
        {
            JsonDocument? page;
            try
            {
                page = await _client.JsonAsync(HttpMethod.Get, "LISTSTATUS_BATCH", path, startAfter is null ? null : [new("startAfter", startAfter)], cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (startAfter is null && Volatile.Read(ref _batch) == BatchUnknown && ex is NotSupportedException or ArgumentException)
            {
                Volatile.Write(ref _batch, BatchUnsupported);
                break;
            }

            using (page)
            {
                Volatile.Write(ref _batch, BatchSupported);
                var listing = Require(page, "LISTSTATUS_BATCH", path).GetProperty("DirectoryListing");
                var statuses = listing.GetProperty("partialListing").GetProperty("FileStatuses").GetProperty("FileStatus");
                var count = 0;
                foreach (var element in statuses.EnumerateArray())
                {
                    var status = WebHdfsFileStatus.Parse(element);
                    startAfter = status.PathSuffix;
                    count++;
                    yield return status;
                }

                var remaining = listing.TryGetProperty("remainingEntries", out var left) ? left.GetInt64() : 0;
                if (remaining <= 0 || count == 0 || string.IsNullOrEmpty(startAfter))
                {
                    yield break;
                }
            }
        }

        using var all = await _client.JsonAsync(HttpMethod.Get, "LISTSTATUS", path, null, cancellationToken).ConfigureAwait(false);
        foreach (var element in Require(all, "LISTSTATUS", path).GetProperty("FileStatuses").GetProperty("FileStatus").EnumerateArray())
        {
            yield return WebHdfsFileStatus.Parse(element);
        }
    }

    public Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken) => OpenReadAsync(path, 0, null, cancellationToken);

    /// <summary>
    /// OPEN from <paramref name="offset"/> for <paramref name="length"/> bytes (to the end when null): the NameNode
    /// names the DataNode holding the block and the bytes stream from it as they arrive.
    /// </summary>
    public async Task<Stream> OpenReadAsync(string path, long offset, long? length, CancellationToken cancellationToken)
    {
        path = NamespacePath.Normalize(path);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var parameters = new List<KeyValuePair<string, string>>();
        if (offset > 0)
        {
            parameters.Add(new("offset", WebHdfsClient.Format(offset)));
        }

        if (length is { } l)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(l);
            parameters.Add(new("length", WebHdfsClient.Format(l)));
        }

        var (location, direct) = await _client.LocateAsync(HttpMethod.Get, "OPEN", path, parameters, cancellationToken).ConfigureAwait(false);
        var response = direct ?? await _client.DataStepAsync(HttpMethod.Get, location!, null, "OPEN", path, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return new ResponseStream(response, stream);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    public async Task<EditRecord> CreateAsync(string path, Func<Stream, CancellationToken, Task> write, bool overwrite, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        path = NamespacePath.Normalize(path);
        if (path == "/")
        {
            throw new IOException($"{Name}:/ is the root directory; a file cannot be created there.");
        }

        // a file in Unitization's own folder (the replicator's staging) is seen by no reader until its folder is
        // published, so it is written in place: no hidden sibling, no rename (two NameNode round trips fewer per file;
        // HDFS itself refuses an existing file when overwrite=false)
        var inPlace = NamespacePath.IsInternal(path);
        var parent = Parent(path);
        var name = path[(path.LastIndexOf('/') + 1)..];
        var staged = inPlace ? path : (parent == "/" ? "/" : parent + "/") + "." + (name.Length > 150 ? name[..150] : name) + "." + Guid.NewGuid().ToString("N") + CopyingSuffix;
        if (!inPlace && !overwrite && await GetFileStatusAsync(path, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new IOException($"{Name}:{path} already exists (create without overwrite).");
        }

        CountingWriteStream? counter = null;
        try
        {
            var (location, direct) = await _client.LocateAsync(
                HttpMethod.Put, "CREATE", staged, [new("overwrite", inPlace && overwrite ? "true" : "false")], cancellationToken).ConfigureAwait(false);
            if (direct is not null)
            {
                direct.Dispose();
                throw new IOException($"{Name}:{path} (CREATE): the server answered the first step without naming where the bytes go.");
            }

            using var content = WebHdfsClient.WriterContent(async (body, ct) =>
            {
                counter = new CountingWriteStream(body);
                await write(counter, ct).ConfigureAwait(false);
                await counter.FlushAsync(ct).ConfigureAwait(false);
            });
            using (await _client.DataStepAsync(HttpMethod.Put, location!, content, "CREATE", path, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false))
            {
            }

            if (!inPlace)
            {
                await RenameCoreAsync(staged, path, overwrite, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            // a staged sibling always goes; a file written in place too, unless HDFS refused it because one was
            // there already (overwrite=false), which is not this call's to delete
            if (!inPlace || !(ex.InnerException is WebHdfsRemoteException remote && remote.Is("FileAlreadyExistsException")))
            {
                await DeleteStagedAsync(staged).ConfigureAwait(false);
            }

            throw;
        }

        // HDFS logs no checksum with a create (GETFILECHECKSUM asks the DataNodes): the edit says only how many bytes went
        return new EditRecord(TxId.None, EditOp.Create, path, null, counter?.Written ?? 0, null, _time.GetUtcNow());
    }

    public async Task<EditRecord?> MkdirsAsync(string path, CancellationToken cancellationToken)
    {
        path = NamespacePath.Normalize(path);
        var existing = await GetFileStatusAsync(path, cancellationToken).ConfigureAwait(false);
        if (existing is { IsDirectory: true })
        {
            return null;
        }

        if (existing is not null)
        {
            throw new IOException($"{Name}:{path} is a file; a directory cannot be made there.");
        }

        using var json = await _client.JsonAsync(HttpMethod.Put, "MKDIRS", path, null, cancellationToken).ConfigureAwait(false);
        if (!Boolean(json))
        {
            throw new IOException($"{Name}:{path} (MKDIRS): HDFS answered false (a parent is a file?).");
        }

        return new EditRecord(TxId.None, EditOp.Mkdirs, path, null, 0, null, _time.GetUtcNow());
    }

    public async Task<EditRecord> RenameAsync(string source, string destination, CancellationToken cancellationToken)
    {
        source = NamespacePath.Normalize(source);
        destination = NamespacePath.Normalize(destination);
        await RenameCoreAsync(source, destination, overwrite: false, cancellationToken).ConfigureAwait(false);
        return new EditRecord(TxId.None, EditOp.Rename, source, destination, 0, null, _time.GetUtcNow());
    }

    public async Task<EditRecord?> DeleteAsync(string path, bool recursive, CancellationToken cancellationToken)
    {
        path = NamespacePath.Normalize(path);
        if (path == "/")
        {
            throw new IOException($"{Name}:/ is the root directory; it is never deleted.");
        }

        using var json = await _client.JsonAsync(HttpMethod.Delete, "DELETE", path, [new("recursive", recursive ? "true" : "false")], cancellationToken).ConfigureAwait(false);
        return Boolean(json) ? new EditRecord(TxId.None, EditOp.Delete, path, null, 0, null, _time.GetUtcNow()) : null;
    }

    public async Task<EditRecord> SetTimesAsync(string path, DateTimeOffset modificationTime, CancellationToken cancellationToken)
    {
        path = NamespacePath.Normalize(path);
        using var json = await _client.JsonAsync(
            HttpMethod.Put, "SETTIMES", path, [new("modificationtime", WebHdfsClient.Format(modificationTime.ToUnixTimeMilliseconds())), new("accesstime", "-1")], cancellationToken).ConfigureAwait(false);
        return new EditRecord(TxId.None, EditOp.SetTimes, path, null, 0, null, _time.GetUtcNow());
    }

    /// <summary>
    /// HDFS's own file checksum (GETFILECHECKSUM, computed by the DataNodes from the CRCs they store, e.g.
    /// <c>MD5-of-0MD5-of-512CRC32C</c> or <c>COMPOSITE-CRC32C</c>), unchanged, with the file's length.
    /// </summary>
    public async Task<FileChecksum> GetChecksumAsync(string path, CancellationToken cancellationToken)
    {
        path = NamespacePath.Normalize(path);
        var status = await GetFileStatusAsync(path, cancellationToken).ConfigureAwait(false)
            ?? throw new FileNotFoundException($"{Name}:{path} (GETFILECHECKSUM): not found.", path);
        if (status.IsDirectory)
        {
            throw new IOException($"{Name}:{path} is a directory; only a file has a checksum.");
        }

        var (location, direct) = await _client.LocateAsync(HttpMethod.Get, "GETFILECHECKSUM", path, null, cancellationToken).ConfigureAwait(false);
        using var response = direct ?? await _client.DataStepAsync(HttpMethod.Get, location!, null, "GETFILECHECKSUM", path, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        using var json = await WebHdfsClient.ReadJsonAsync(response, cancellationToken).ConfigureAwait(false);
        var checksum = Require(json, "GETFILECHECKSUM", path).GetProperty("FileChecksum");
        return new FileChecksum(checksum.GetProperty("algorithm").GetString() ?? string.Empty, checksum.GetProperty("bytes").GetString() ?? string.Empty, status.Length);
    }

    /// <summary>GETCONTENTSUMMARY: directories, files and bytes under a path, counted by the NameNode.</summary>
    public async Task<WebHdfsContentSummary> GetContentSummaryAsync(string path, CancellationToken cancellationToken)
    {
        path = NamespacePath.Normalize(path);
        using var json = await _client.JsonAsync(HttpMethod.Get, "GETCONTENTSUMMARY", path, null, cancellationToken).ConfigureAwait(false);
        var summary = Require(json, "GETCONTENTSUMMARY", path).GetProperty("ContentSummary");
        var length = summary.GetProperty("length").GetInt64();
        return new WebHdfsContentSummary(
            summary.GetProperty("directoryCount").GetInt64(),
            summary.GetProperty("fileCount").GetInt64(),
            length,
            summary.TryGetProperty("spaceConsumed", out var consumed) ? consumed.GetInt64() : length);
    }

    /// <summary>
    /// RENAME with <c>renameoptions</c> (HDFS's rename2: the destination is never entered as a directory, a missing
    /// source or an existing destination is an error); a server that answers the old boolean rename instead is
    /// asked what went wrong when it answers false.
    /// </summary>
    private async Task RenameCoreAsync(string source, string destination, bool overwrite, CancellationToken cancellationToken)
    {
        using var json = await _client.JsonAsync(
            HttpMethod.Put, "RENAME", source, [new("destination", destination), new("renameoptions", overwrite ? "OVERWRITE" : "NONE")], cancellationToken).ConfigureAwait(false);
        if (json is null || json.RootElement.ValueKind != JsonValueKind.Object || !json.RootElement.TryGetProperty("boolean", out var result) || result.GetBoolean())
        {
            return;
        }

        if (await GetFileStatusAsync(source, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new FileNotFoundException($"{Name}:{source} cannot be renamed to {destination}: it does not exist.", source);
        }

        if (await GetFileStatusAsync(destination, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new IOException($"{Name}:{source} cannot be renamed to {destination}: the destination already exists.");
        }

        throw new IOException($"{Name}:{source} cannot be renamed to {destination}: HDFS refused (does {Parent(destination)} exist as a directory?).");
    }

    private async Task DeleteStagedAsync(string staged)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30), _time);
            using var _ = await _client.JsonAsync(HttpMethod.Delete, "DELETE", staged, [new("recursive", "false")], timeout.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // the write already failed with its own error; a staged file left behind is logged, not thrown over it
        catch (Exception ex)
#pragma warning restore CA1031
        {
            WebHdfsLog.StagingLeft(_logger, Name, staged, ex.Message);
        }
    }

    private static bool IsCopying(string name) => name.Length > 1 && name[0] == '.' && name.EndsWith(CopyingSuffix, StringComparison.Ordinal);

    private static NamespaceEntry Entry(string path, WebHdfsFileStatus status) =>
        new(path, status.IsDirectory, status.IsDirectory ? 0 : status.Length, status.ModificationTime, TxId.None);

    private static bool Boolean(JsonDocument? json) =>
        json is not null && json.RootElement.TryGetProperty("boolean", out var value) && value.ValueKind == JsonValueKind.True;

    private JsonElement Require(JsonDocument? json, string op, string path) =>
        json?.RootElement is { ValueKind: JsonValueKind.Object } root ? root : throw new IOException($"{Name}:{path} ({op}): the server answered with an empty body.");

    private static string Parent(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash <= 0 ? "/" : path[..slash];
    }
}
