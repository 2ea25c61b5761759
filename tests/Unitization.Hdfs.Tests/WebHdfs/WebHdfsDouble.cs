// Long file: one HDFS double answering every WebHDFS operation the namespace uses, as a NameNode pair + DataNode or as HttpFS
using System.Net;
using System.Text;
using System.Text.Json;
using System.Web;
using Unitization.Hdfs.WebHdfs;

namespace Unitization.Hdfs.Tests.WebHdfs;

/// <summary>
/// An in-memory HDFS answering WebHDFS REST as Hadoop does, for the namespace's tests (no network): two NameNodes
/// (<c>nn1.test</c>, <c>nn2.test</c>; the standby answers 403 StandbyException), a DataNode (<c>dn1.test</c>) the
/// two-step operations redirect to (307, or 200 <c>{"Location"}</c> with noredirect), RemoteException JSON errors,
/// LISTSTATUS_BATCH pages of <see cref="BatchLimit"/> entries (<c>dfs.ls.limit</c>), rename2 with renameoptions,
/// delegation tokens. With <see cref="HttpFs"/> it answers as HttpFS: one host, CREATE redirected to itself with
/// <c>data=true</c>, OPEN and GETFILECHECKSUM in one step.
/// </summary>
internal sealed class WebHdfsDouble : HttpMessageHandler
{
    public static readonly Uri Nn1 = new("http://nn1.test:9870");
    public static readonly Uri Nn2 = new("http://nn2.test:9870");
    public static readonly Uri HttpFsHost = new("http://httpfs.test:14000");
    private const string DataNode = "http://dn1.test:9864";

    private readonly SortedDictionary<string, Node> _nodes = new(StringComparer.Ordinal) { ["/"] = new Node(null) };
    private readonly object _lock = new();

    public WebHdfsDouble()
    {
    }

    /// <summary>The NameNode currently active ("nn1.test" or "nn2.test").</summary>
    public string ActiveHost { get; set; } = "nn1.test";

    /// <summary>Hosts that refuse connections.</summary>
    public HashSet<string> Down { get; } = new(StringComparer.Ordinal);

    /// <summary>How many more NameNode requests answer RetriableException (safe mode while starting).</summary>
    public int RetriableLeft { get; set; }

    public bool HttpFs { get; set; }

    public int BatchLimit { get; set; } = 1000;

    /// <summary>False: LISTSTATUS_BATCH is refused as an unknown op (Hadoop before 2.8).</summary>
    public bool BatchSupported { get; set; } = true;

    /// <summary>When set, every request must carry <c>user.name</c> = this (401 otherwise).</summary>
    public string? RequiredUser { get; set; }

    /// <summary>When set, every request but GETDELEGATIONTOKEN must carry <c>delegation</c> = this (403 InvalidToken otherwise).</summary>
    public string? RequiredToken { get; set; }

    /// <summary>The token GETDELEGATIONTOKEN issues.</summary>
    public string IssuedToken { get; set; } = "HAAEaGRmcwRoZGZzAIoBkPLqgy6KAZEW9wcuAQIU";

    public int TokensIssued { get; private set; }

    public int Renewals { get; private set; }

    /// <summary>The block size files are created with (GETFILECHECKSUM depends on it).</summary>
    public long BlockSize { get; set; } = 1024;

    public HdfsChecksumMode ChecksumMode { get; set; } = HdfsChecksumMode.Md5Md5Crc;

    /// <summary>The Authorization header of every request (null when none).</summary>
    public List<string?> Authorizations { get; } = [];

    /// <summary>Every request as it arrived (method and URL).</summary>
    public List<(HttpMethod Method, Uri Uri)> Requests { get; } = [];

    /// <summary>The largest request body that was buffered whole (0: every body streamed).</summary>
    public long ContentLengthsSeen { get; private set; }

    /// <summary>Called for a DataNode CREATE before the body is stored (a test can look at the namespace mid-write).</summary>
    public Action<string>? OnDataWrite { get; set; }

    public byte[]? Read(string path)
    {
        lock (_lock)
        {
            return _nodes.TryGetValue(path, out var node) ? node.Data : null;
        }
    }

    public bool Exists(string path)
    {
        lock (_lock)
        {
            return _nodes.ContainsKey(path);
        }
    }

    public IReadOnlyList<string> Paths()
    {
        lock (_lock)
        {
            return [.. _nodes.Keys];
        }
    }

    public void Put(string path, byte[] data)
    {
        lock (_lock)
        {
            EnsureParents(path);
            _nodes[path] = new Node(data) { ModificationTime = 1_700_000_000_000 };
        }
    }

    public void MakeDirectory(string path)
    {
        lock (_lock)
        {
            EnsureParents(path + "/x");
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        lock (_lock)
        {
            Requests.Add((request.Method, uri));
            Authorizations.Add(request.Headers.Authorization?.ToString());
        }

        if (Down.Contains(uri.Host))
        {
            throw new HttpRequestException($"Connection refused ({uri.Authority})", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused));
        }

        var query = HttpUtility.ParseQueryString(uri.Query);
        var op = (query["op"] ?? string.Empty).ToUpperInvariant();
        var path = Uri.UnescapeDataString(uri.AbsolutePath["/webhdfs/v1".Length..]);
        path = path.Length == 0 ? "/" : path.TrimEnd('/') is { Length: > 0 } p ? p : "/";

        if (RequiredUser is not null && query["user.name"] != RequiredUser && query["delegation"] is null)
        {
            return new HttpResponseMessage(HttpStatusCode.Unauthorized) { Content = new StringContent("Authentication required") };
        }

        if (RequiredToken is not null && op != "GETDELEGATIONTOKEN" && query["delegation"] != RequiredToken)
        {
            return Remote(HttpStatusCode.Forbidden, "InvalidToken", "org.apache.hadoop.security.token.SecretManager$InvalidToken",
                "token (HDFS_DELEGATION_TOKEN token 7 for hive) can't be found in cache");
        }

        var isDataNode = uri.Host == "dn1.test";
        if (!isDataNode && !HttpFs)
        {
            if (uri.Host != ActiveHost)
            {
                return Remote(HttpStatusCode.Forbidden, "StandbyException", "org.apache.hadoop.ipc.StandbyException",
                    "Operation category READ is not supported in state standby. Visit https://s.apache.org/sbnn-error");
            }

            if (RetriableLeft > 0)
            {
                RetriableLeft--;
                return Remote(HttpStatusCode.Forbidden, "RetriableException", "org.apache.hadoop.ipc.RetriableException",
                    "org.apache.hadoop.hdfs.server.namenode.SafeModeException: Cannot create file. Name node is in safe mode.");
            }
        }

        var body = request.Content is null ? null : await request.Content.ReadAsStreamAsync(cancellationToken);
        if (request.Content?.Headers.ContentLength is { } length)
        {
            ContentLengthsSeen = Math.Max(ContentLengthsSeen, length);
        }

        lock (_lock)
        {
            return Answer(request.Method, uri, op, path, query, isDataNode, body);
        }
    }

    private HttpResponseMessage Answer(HttpMethod method, Uri uri, string op, string path, System.Collections.Specialized.NameValueCollection query, bool isDataNode, Stream? body)
    {
        switch (op)
        {
            case "GETFILESTATUS":
                return _nodes.TryGetValue(path, out var node)
                    ? Json(w => { w.WriteStartObject("FileStatus"); WriteStatus(w, path, node, string.Empty); w.WriteEndObject(); })
                    : NotFound($"File does not exist: {path}");
            case "LISTSTATUS":
                return List(path, null, all: true);
            case "LISTSTATUS_BATCH" when BatchSupported:
                return List(path, query["startAfter"], all: false);
            case "LISTSTATUS_BATCH":
                return Remote(HttpStatusCode.BadRequest, "IllegalArgumentException", "java.lang.IllegalArgumentException",
                    "Invalid value for webhdfs parameter \"op\": No enum constant org.apache.hadoop.hdfs.web.resources.GetOpParam.Op.LISTSTATUS_BATCH");
            case "MKDIRS":
                if (Ancestors(path).Any(a => _nodes.TryGetValue(a, out var n) && !n.IsDirectory))
                {
                    return Remote(HttpStatusCode.Forbidden, "ParentNotDirectoryException", "org.apache.hadoop.fs.ParentNotDirectoryException", $"Parent path is not a directory: {path}");
                }

                EnsureParents(path + "/x");
                return Json(w => w.WriteBoolean("boolean", true));
            case "CREATE":
                return Create(uri, path, query, isDataNode, body);
            case "OPEN":
                return Open(uri, path, query, isDataNode);
            case "GETFILECHECKSUM":
                if (!isDataNode && !HttpFs)
                {
                    return Redirect(uri, query);
                }

                if (!_nodes.TryGetValue(path, out var file) || file.IsDirectory)
                {
                    return NotFound($"File does not exist: {path}");
                }

                var checksum = HdfsFileChecksum.Compute(file.Data!, BlockSize, ChecksumMode);
                return Json(w =>
                {
                    w.WriteStartObject("FileChecksum");
                    w.WriteString("algorithm", checksum.Algorithm);
                    w.WriteString("bytes", checksum.Hex);
                    w.WriteNumber("length", checksum.Hex.Length / 2);
                    w.WriteEndObject();
                });
            case "RENAME":
                return Rename(path, query["destination"]!, query["renameoptions"]);
            case "DELETE":
                return Delete(path, query["recursive"] == "true");
            case "SETTIMES":
                if (!_nodes.TryGetValue(path, out var timed))
                {
                    return NotFound($"File does not exist: {path}");
                }

                timed.ModificationTime = long.Parse(query["modificationtime"]!, System.Globalization.CultureInfo.InvariantCulture);
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([]) };
            case "GETCONTENTSUMMARY":
                if (!_nodes.ContainsKey(path))
                {
                    return NotFound($"File does not exist: {path}");
                }

                var under = _nodes.Where(n => n.Key == path || n.Key.StartsWith(path == "/" ? "/" : path + "/", StringComparison.Ordinal)).ToList();
                return Json(w =>
                {
                    w.WriteStartObject("ContentSummary");
                    w.WriteNumber("directoryCount", under.Count(n => n.Value.IsDirectory));
                    w.WriteNumber("fileCount", under.Count(n => !n.Value.IsDirectory));
                    w.WriteNumber("length", under.Sum(n => n.Value.Data?.LongLength ?? 0));
                    w.WriteNumber("quota", -1);
                    w.WriteNumber("spaceConsumed", 3 * under.Sum(n => n.Value.Data?.LongLength ?? 0));
                    w.WriteNumber("spaceQuota", -1);
                    w.WriteEndObject();
                });
            case "GETDELEGATIONTOKEN":
                TokensIssued++;
                return Json(w => { w.WriteStartObject("Token"); w.WriteString("urlString", IssuedToken); w.WriteEndObject(); });
            case "RENEWDELEGATIONTOKEN":
                Renewals++;
                return query["token"] == IssuedToken
                    ? Json(w => w.WriteNumber("long", 1_900_000_000_000))
                    : Remote(HttpStatusCode.Forbidden, "InvalidToken", "org.apache.hadoop.security.token.SecretManager$InvalidToken", "token is expired");
            default:
                return Remote(HttpStatusCode.BadRequest, "IllegalArgumentException", "java.lang.IllegalArgumentException", $"Invalid value for webhdfs parameter \"op\": No enum constant {op}");
        }
    }

    private HttpResponseMessage Create(Uri uri, string path, System.Collections.Specialized.NameValueCollection query, bool isDataNode, Stream? body)
    {
        var dataStep = isDataNode || (HttpFs && query["data"] == "true");
        if (!dataStep)
        {
            if (_nodes.TryGetValue(path, out var existing) && (existing.IsDirectory || query["overwrite"] != "true"))
            {
                return Remote(HttpStatusCode.Forbidden, "FileAlreadyExistsException", "org.apache.hadoop.fs.FileAlreadyExistsException", $"{path} for client 10.0.0.1 already exists");
            }

            if (HttpFs)
            {
                // HttpFS (before HDFS-14063 taught it noredirect) redirects a CREATE to itself with data=true
                var response = new HttpResponseMessage(HttpStatusCode.TemporaryRedirect);
                response.Headers.Location = new Uri(uri + "&data=true");
                return response;
            }

            return Redirect(uri, query);
        }

        OnDataWrite?.Invoke(path);
        using var copy = new MemoryStream();
        body?.CopyTo(copy);
        EnsureParents(path);
        _nodes[path] = new Node(copy.ToArray()) { ModificationTime = 1_700_000_000_000 };
        var created = new HttpResponseMessage(HttpStatusCode.Created) { Content = new ByteArrayContent([]) };
        created.Headers.Location = new Uri("hdfs://nn1.test:8020" + path);
        return created;
    }

    private HttpResponseMessage Open(Uri uri, string path, System.Collections.Specialized.NameValueCollection query, bool isDataNode)
    {
        if (!_nodes.TryGetValue(path, out var file))
        {
            return NotFound($"File does not exist: {path}");
        }

        if (file.IsDirectory)
        {
            return NotFound($"Path is not a file: {path}");
        }

        if (!isDataNode && !HttpFs)
        {
            return Redirect(uri, query);
        }

        var offset = long.Parse(query["offset"] ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        var length = query["length"] is { } l ? long.Parse(l, System.Globalization.CultureInfo.InvariantCulture) : long.MaxValue;
        if (offset > file.Data!.Length)
        {
            return Remote(HttpStatusCode.Forbidden, "IOException", "java.io.IOException", $"Offset={offset} out of the range [0, {file.Data.Length}); OPEN, path={path}");
        }

        var count = (int)Math.Min(length, file.Data.Length - offset);
        var content = new ByteArrayContent(file.Data, (int)offset, count);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
    }

    private HttpResponseMessage List(string path, string? startAfter, bool all)
    {
        if (!_nodes.TryGetValue(path, out var node))
        {
            return NotFound($"File {path} does not exist.");
        }

        var children = node.IsDirectory
            ? _nodes.Where(n => n.Key != "/" && ParentOf(n.Key) == path).Select(n => (Name: NameOf(n.Key), n.Key, n.Value)).ToList()
            : [(Name: string.Empty, path, node)];
        if (startAfter is not null)
        {
            children = [.. children.Where(c => string.CompareOrdinal(c.Name, startAfter) > 0)];
        }

        var page = all ? children : [.. children.Take(BatchLimit)];
        void Statuses(Utf8JsonWriter w)
        {
            w.WriteStartObject("FileStatuses");
            w.WriteStartArray("FileStatus");
            foreach (var (name, key, value) in page)
            {
                w.WriteStartObject();
                WriteStatus(w, key, value, name);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return all
            ? Json(Statuses)
            : Json(w =>
            {
                w.WriteStartObject("DirectoryListing");
                w.WriteStartObject("partialListing");
                Statuses(w);
                w.WriteEndObject();
                w.WriteNumber("remainingEntries", children.Count - page.Count);
                w.WriteEndObject();
            });
    }

    private HttpResponseMessage Rename(string source, string destination, string? options)
    {
        if (options is null)
        {
            // the old rename: false on any failure, into an existing directory
            if (!_nodes.ContainsKey(source) || _nodes.ContainsKey(destination))
            {
                return Json(w => w.WriteBoolean("boolean", false));
            }

            Move(source, destination);
            return Json(w => w.WriteBoolean("boolean", true));
        }

        if (!_nodes.ContainsKey(source))
        {
            return NotFound($"rename source {source} is not found.");
        }

        if (!_nodes.TryGetValue(ParentOf(destination), out var parent) || !parent.IsDirectory)
        {
            return NotFound($"rename destination parent {ParentOf(destination)} not found.");
        }

        if (_nodes.TryGetValue(destination, out var existing))
        {
            var emptyDirectory = existing.IsDirectory && !_nodes.Keys.Any(k => ParentOf(k) == destination && k != "/");
            if (!options.Contains("OVERWRITE", StringComparison.Ordinal) || (existing.IsDirectory && !emptyDirectory))
            {
                return Remote(HttpStatusCode.Forbidden, "FileAlreadyExistsException", "org.apache.hadoop.fs.FileAlreadyExistsException",
                    $"rename destination {destination} already exists");
            }

            _nodes.Remove(destination);
        }

        Move(source, destination);
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([]) };
    }

    private HttpResponseMessage Delete(string path, bool recursive)
    {
        if (!_nodes.TryGetValue(path, out var node))
        {
            return Json(w => w.WriteBoolean("boolean", false));
        }

        var below = _nodes.Keys.Where(k => k.StartsWith(path + "/", StringComparison.Ordinal)).ToList();
        if (node.IsDirectory && below.Count > 0 && !recursive)
        {
            return Remote(HttpStatusCode.Forbidden, "PathIsNotEmptyDirectoryException", "org.apache.hadoop.fs.PathIsNotEmptyDirectoryException", $"`{path} is non empty': Directory is not empty");
        }

        foreach (var key in below.Append(path))
        {
            _nodes.Remove(key);
        }

        return Json(w => w.WriteBoolean("boolean", true));
    }

    private void Move(string source, string destination)
    {
        foreach (var key in _nodes.Keys.Where(k => k == source || k.StartsWith(source + "/", StringComparison.Ordinal)).ToList())
        {
            var node = _nodes[key];
            _nodes.Remove(key);
            _nodes[destination + key[source.Length..]] = node;
        }
    }

    private static HttpResponseMessage Redirect(Uri uri, System.Collections.Specialized.NameValueCollection query)
    {
        var location = DataNode + uri.AbsolutePath + "?" + string.Join('&', query.AllKeys.Where(k => k != "noredirect").Select(k => k + "=" + Uri.EscapeDataString(query[k]!))) + "&namenoderpcaddress=nn1.test:8020";
        if (query["noredirect"] == "true")
        {
            return Json(w => w.WriteString("Location", location));
        }

        var response = new HttpResponseMessage(HttpStatusCode.TemporaryRedirect);
        response.Headers.Location = new Uri(location);
        return response;
    }

    private void WriteStatus(Utf8JsonWriter w, string path, Node node, string suffix)
    {
        w.WriteNumber("accessTime", node.ModificationTime);
        w.WriteNumber("blockSize", node.IsDirectory ? 0 : BlockSize);
        w.WriteNumber("childrenNum", node.IsDirectory ? _nodes.Keys.Count(k => k != "/" && ParentOf(k) == path) : 0);
        w.WriteNumber("fileId", 16386 + Math.Abs(path.GetHashCode(StringComparison.Ordinal) % 100000));
        w.WriteString("group", "supergroup");
        w.WriteNumber("length", node.Data?.LongLength ?? 0);
        w.WriteNumber("modificationTime", node.ModificationTime);
        w.WriteString("owner", "hive");
        w.WriteString("pathSuffix", suffix);
        w.WriteString("permission", node.IsDirectory ? "755" : "644");
        w.WriteNumber("replication", node.IsDirectory ? 0 : 3);
        w.WriteNumber("storagePolicy", 0);
        w.WriteString("type", node.IsDirectory ? "DIRECTORY" : "FILE");
    }

    private void EnsureParents(string path)
    {
        foreach (var ancestor in Ancestors(path))
        {
            _nodes.TryAdd(ancestor, new Node(null) { ModificationTime = 1_700_000_000_000 });
        }
    }

    private static IEnumerable<string> Ancestors(string path)
    {
        for (var i = path.IndexOf('/', 1); i > 0; i = path.IndexOf('/', i + 1))
        {
            yield return path[..i];
        }
    }

    private static string ParentOf(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash <= 0 ? "/" : path[..slash];
    }

    private static string NameOf(string path) => path[(path.LastIndexOf('/') + 1)..];

    private static HttpResponseMessage NotFound(string message) =>
        Remote(HttpStatusCode.NotFound, "FileNotFoundException", "java.io.FileNotFoundException", message);

    private static HttpResponseMessage Remote(HttpStatusCode status, string exception, string javaClassName, string message) =>
        Json(w =>
        {
            w.WriteStartObject("RemoteException");
            w.WriteString("exception", exception);
            w.WriteString("javaClassName", javaClassName);
            w.WriteString("message", message);
            w.WriteEndObject();
        }, status);

    private static HttpResponseMessage Json(Action<Utf8JsonWriter> body, HttpStatusCode status = HttpStatusCode.OK)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return new HttpResponseMessage(status) { Content = new StringContent(Encoding.UTF8.GetString(buffer.ToArray()), Encoding.UTF8, "application/json") };
    }

    private sealed class Node(byte[]? data)
    {
        public byte[]? Data { get; } = data;

        public bool IsDirectory => Data is null;

        public long ModificationTime { get; set; }
    }
}
