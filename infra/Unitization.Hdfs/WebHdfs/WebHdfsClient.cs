using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Unitization.Hdfs.WebHdfs;

/// <summary>
/// Sends WebHDFS requests to one HDFS behind one or more NameNodes (HA): the NameNode step goes to the NameNode last
/// known to be active, fails over to the next on a StandbyException or a connection error, retries the same one after a
/// backoff on a RetriableException (safe mode, a NameNode catching up), and remembers which one answered. Each request
/// carries the identity of <see cref="WebHdfsAuth"/> (<c>user.name=</c>, <c>delegation=</c>, or SPNEGO by the handler).
/// A two-step operation's second step (OPEN, CREATE, GETFILECHECKSUM on a DataNode, or HttpFS's <c>data=true</c>) goes
/// to the URL the first step named; it is not failed over (the URL names one DataNode).
/// </summary>
internal sealed class WebHdfsClient
{
    public const string Prefix = "/webhdfs/v1";

    private static readonly MediaTypeHeaderValue OctetStream = new("application/octet-stream");

    private readonly string _namespace;
    private readonly Uri[] _nameNodes;
    private readonly WebHdfsAuth _auth;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly WebHdfsRetry _retry;
    private readonly SemaphoreSlim _tokenLock = new(1, 1);
    private int _active;
    private string? _token;
    private DateTimeOffset _renewAt;

    public WebHdfsClient(string @namespace, IReadOnlyList<Uri> nameNodes, WebHdfsAuth auth, HttpMessageHandler handler, TimeProvider time, ILogger logger, WebHdfsRetry? retry = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(@namespace);
        ArgumentNullException.ThrowIfNull(nameNodes);
        ArgumentNullException.ThrowIfNull(auth);
        ArgumentNullException.ThrowIfNull(handler);
        if (nameNodes.Count == 0)
        {
            throw new ArgumentException($"Namespace {@namespace}: at least one NameNode URL is required.", nameof(nameNodes));
        }

        foreach (var uri in nameNodes)
        {
            if (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw new ArgumentException($"Namespace {@namespace}: NameNode URL '{uri}' must be an absolute http:// or https:// URL (e.g. http://nn1:9870).", nameof(nameNodes));
            }
        }

        auth.Validate();
        _namespace = @namespace;
        _nameNodes = [.. nameNodes.Select(u => new Uri(u.GetLeftPart(UriPartial.Authority)))];
        _auth = auth;
        _http = new HttpClient(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _retry = retry ?? new WebHdfsRetry();
        _token = auth.Mode == WebHdfsAuthMode.DelegationToken ? auth.DelegationToken : null;
    }

    /// <summary>The NameNode the next request goes to first (the one that answered last).</summary>
    public Uri ActiveNameNode => _nameNodes[Volatile.Read(ref _active)];

    public IReadOnlyList<Uri> NameNodes => _nameNodes;

    /// <summary>A JSON operation on the NameNode (with failover); the parsed body, or null for an empty 200.</summary>
    public async Task<JsonDocument?> JsonAsync(HttpMethod method, string op, string path, IReadOnlyList<KeyValuePair<string, string>>? parameters, CancellationToken cancellationToken)
    {
        using var response = await NameNodeAsync(method, op, path, parameters, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The first step of a two-step operation with <c>noredirect=true</c>: the URL of the second step (from
    /// <c>{"Location":…}</c> or a 307's Location header), or null with <paramref name="direct"/> set when the server
    /// answered with the data itself (an HttpFS that ignores noredirect on OPEN).
    /// </summary>
    public async Task<(Uri? Location, HttpResponseMessage? Direct)> LocateAsync(
        HttpMethod method, string op, string path, IReadOnlyList<KeyValuePair<string, string>>? parameters, CancellationToken cancellationToken)
    {
        var all = new List<KeyValuePair<string, string>>(parameters ?? []) { new("noredirect", "true") };
        var response = await NameNodeAsync(method, op, path, all, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        try
        {
            if (IsRedirect(response.StatusCode))
            {
                return (Resolve(response), null);
            }

            if (response.Content.Headers.ContentType?.MediaType == "application/json")
            {
                await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
                var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                if (TryLocation(body, out var location))
                {
                    response.Dispose();
                    return (new Uri(response.RequestMessage!.RequestUri!, location), null);
                }
            }

            return (null, response);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>The second step at <paramref name="location"/>; error answers are thrown, mapped for <paramref name="path"/>.</summary>
    public async Task<HttpResponseMessage> DataStepAsync(
        HttpMethod method, Uri location, HttpContent? content, string op, string path, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        for (var hops = 0; ; hops++)
        {
            using var request = new HttpRequestMessage(method, location) { Content = content };
            Authorize(request);
            var response = await _http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
            response.RequestMessage ??= request;
            if (IsRedirect(response.StatusCode) && content is null && hops < 3)
            {
                // an HttpFS or DataNode that redirects once more (e.g. HttpFS's own data=true step)
                location = Resolve(response);
                response.Dispose();
                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                using (response)
                {
                    throw await ErrorAsync(response, op, path, cancellationToken).ConfigureAwait(false);
                }
            }

            return response;
        }
    }

    /// <summary>A body that <paramref name="write"/> streams into as it is sent (chunked; nothing buffered whole).</summary>
    public static HttpContent WriterContent(Func<Stream, CancellationToken, Task> write)
    {
        var content = new StreamingWriteContent(write);
        content.Headers.ContentType = OctetStream;
        return content;
    }

    /// <summary>
    /// The NameNode step, failed over and retried as the class says; returns a success or redirect answer, throws the
    /// mapped error otherwise.
    /// </summary>
    public async Task<HttpResponseMessage> NameNodeAsync(
        HttpMethod method, string op, string path, IReadOnlyList<KeyValuePair<string, string>>? parameters, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        var token = await TokenAsync(op, cancellationToken).ConfigureAwait(false);
        var start = Volatile.Read(ref _active);
        var index = start;
        var failedInRound = 0;
        var rounds = 0;
        Exception? last = null;
        for (var attempt = 1; attempt <= _retry.MaxAttempts; attempt++)
        {
            var nameNode = _nameNodes[index];
            var uri = BuildUri(nameNode, op, path, parameters, token);
            HttpResponseMessage? response = null;
            string reason;
            var retrySame = false;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(_retry.RequestTimeout);
                using var request = new HttpRequestMessage(method, uri);
                Authorize(request);
                response = await _http.SendAsync(request, completion, timeout.Token).ConfigureAwait(false);
                response.RequestMessage ??= request;
                if (response.IsSuccessStatusCode || IsRedirect(response.StatusCode))
                {
                    if (index != start || Volatile.Read(ref _active) != index)
                    {
                        Volatile.Write(ref _active, index);
                        WebHdfsLog.ActiveNameNode(_logger, _namespace, nameNode.Authority);
                    }

                    return response;
                }

                var body = await ReadBodyAsync(response, cancellationToken).ConfigureAwait(false);
                var remote = WebHdfsErrors.Parse(response.StatusCode, body, uri);
                response.Dispose();
                if (remote is not null && (remote.Is("StandbyException") || remote.Is("ObserverRetryOnActiveException")))
                {
                    reason = remote.Exception;
                    last = remote;
                }
                else if (remote is not null && (remote.Is("RetriableException") || remote.Is("SafeModeException") && remote.RemoteMessage.Contains("retry", StringComparison.OrdinalIgnoreCase)))
                {
                    reason = remote.Exception + ": " + remote.RemoteMessage;
                    last = remote;
                    retrySame = true;
                }
                else
                {
                    throw remote is null
                        ? WebHdfsErrors.MapStatus(_namespace, op, path, response.StatusCode, body, uri)
                        : WebHdfsErrors.Map(_namespace, op, path, remote);
                }
            }
            catch (HttpRequestException ex) when (ex.StatusCode is null)
            {
                response?.Dispose();
                reason = "connection: " + ex.Message;
                last = ex;
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                response?.Dispose();
                reason = $"no answer within {_retry.RequestTimeout.TotalSeconds:0.#} s";
                last = ex;
            }

            if (attempt == _retry.MaxAttempts)
            {
                break;
            }

            if (retrySame)
            {
                var delay = _retry.Backoff(++rounds);
                WebHdfsLog.Retrying(_logger, _namespace, op, path, nameNode.Authority, reason, (long)delay.TotalMilliseconds);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            index = (index + 1) % _nameNodes.Length;
            WebHdfsLog.FailingOver(_logger, _namespace, op, path, nameNode.Authority, reason, _nameNodes[index].Authority);
            if (++failedInRound >= _nameNodes.Length)
            {
                // every NameNode refused once: wait before the next round (a failover in progress)
                failedInRound = 0;
                await Task.Delay(_retry.Backoff(++rounds), _time, cancellationToken).ConfigureAwait(false);
            }
        }

        throw new IOException(
            $"{_namespace}:{path} ({op}): no active NameNode answered after {_retry.MaxAttempts} attempts over {string.Join(", ", _nameNodes.Select(n => n.Authority))}; last: {last?.Message}",
            last);
    }

    /// <summary>The mapped exception for an error answer of <paramref name="response"/>.</summary>
    public async Task<Exception> ErrorAsync(HttpResponseMessage response, string op, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        var body = await ReadBodyAsync(response, cancellationToken).ConfigureAwait(false);
        var uri = response.RequestMessage?.RequestUri ?? ActiveNameNode;
        var remote = WebHdfsErrors.Parse(response.StatusCode, body, uri);
        return remote is null
            ? WebHdfsErrors.MapStatus(_namespace, op, path, response.StatusCode, body, uri)
            : WebHdfsErrors.Map(_namespace, op, path, remote);
    }

    public static async Task<JsonDocument?> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return bytes.Length == 0 ? null : JsonDocument.Parse(bytes);
    }

    /// <summary>The URL of an operation: <c>{nameNode}/webhdfs/v1{path}?op=OP&amp;…</c> with each path segment escaped.</summary>
    public Uri BuildUri(Uri nameNode, string op, string path, IReadOnlyList<KeyValuePair<string, string>>? parameters, string? token)
    {
        ArgumentNullException.ThrowIfNull(nameNode);
        var builder = new StringBuilder(nameNode.GetLeftPart(UriPartial.Authority)).Append(Prefix);
        foreach (var segment in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            builder.Append('/').Append(Uri.EscapeDataString(segment));
        }

        if (builder[^1] == '1' && path == "/")
        {
            builder.Append('/');
        }

        builder.Append("?op=").Append(op);
        foreach (var (name, value) in parameters ?? [])
        {
            builder.Append('&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
        }

        if (token is not null && op is not "GETDELEGATIONTOKEN")
        {
            builder.Append("&delegation=").Append(Uri.EscapeDataString(token));
        }
        else if (_auth.Mode == WebHdfsAuthMode.Simple)
        {
            builder.Append("&user.name=").Append(Uri.EscapeDataString(_auth.User!));
        }

        return new Uri(builder.ToString());
    }

    /// <summary>
    /// The delegation token to send: the configured one, or with Kerberos and FetchDelegationToken one fetched over
    /// SPNEGO (GETDELEGATIONTOKEN) and renewed (RENEWDELEGATIONTOKEN) when due; a renewal refused as an invalid
    /// token (past its maximum lifetime) fetches a new one.
    /// </summary>
    private async Task<string?> TokenAsync(string op, CancellationToken cancellationToken)
    {
        if (_auth.Mode != WebHdfsAuthMode.Kerberos || !_auth.FetchDelegationToken || op is "GETDELEGATIONTOKEN" or "RENEWDELEGATIONTOKEN")
        {
            return _token;
        }

        if (_token is not null && _time.GetUtcNow() < _renewAt)
        {
            return _token;
        }

        await _tokenLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_token is not null && _time.GetUtcNow() < _renewAt)
            {
                return _token;
            }

            if (_token is not null)
            {
                try
                {
                    using var renewed = await JsonAsync(HttpMethod.Put, "RENEWDELEGATIONTOKEN", "/", [new("token", _token)], cancellationToken).ConfigureAwait(false);
                    var expiry = DateTimeOffset.FromUnixTimeMilliseconds(renewed!.RootElement.GetProperty("long").GetInt64());
                    _renewAt = NextRenewal(expiry);
                    WebHdfsLog.TokenRenewed(_logger, _namespace, expiry);
                    return _token;
                }
                catch (UnauthorizedAccessException)
                {
                    _token = null; // expired for good: fetch a new one below
                }
            }

            var renewer = _auth.Renewer ?? _auth.User ?? string.Empty;
            using var fetched = await JsonAsync(HttpMethod.Get, "GETDELEGATIONTOKEN", "/", renewer.Length > 0 ? [new("renewer", renewer)] : null, cancellationToken).ConfigureAwait(false);
            var url = fetched?.RootElement.GetProperty("Token").GetProperty("urlString").GetString();
            if (string.IsNullOrEmpty(url))
            {
                throw new IOException($"{_namespace}: GETDELEGATIONTOKEN answered without Token.urlString.");
            }

            _token = url;
            _renewAt = _time.GetUtcNow() + TokenRenewInterval;
            WebHdfsLog.TokenFetched(_logger, _namespace, renewer);
            return _token;
        }
        finally
        {
            _tokenLock.Release();
        }
    }

    /// <summary>How long a fetched token is used before it is renewed (HDFS's renew interval is a day; its lifetime a week).</summary>
    public static TimeSpan TokenRenewInterval { get; } = TimeSpan.FromHours(1);

    private DateTimeOffset NextRenewal(DateTimeOffset expiry)
    {
        var now = _time.GetUtcNow();
        var half = now + ((expiry - now) / 2);
        return half < now + TokenRenewInterval ? half : now + TokenRenewInterval;
    }

    private void Authorize(HttpRequestMessage request)
    {
        if (_auth.BearerToken is { } bearer)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
    }

    private static bool IsRedirect(HttpStatusCode status) =>
        status is HttpStatusCode.TemporaryRedirect or HttpStatusCode.Redirect or HttpStatusCode.SeeOther or HttpStatusCode.PermanentRedirect;

    private static Uri Resolve(HttpResponseMessage response)
    {
        var location = response.Headers.Location ?? throw new IOException($"{response.RequestMessage?.RequestUri?.GetLeftPart(UriPartial.Path)} redirected without a Location header.");
        return location.IsAbsoluteUri ? location : new Uri(response.RequestMessage!.RequestUri!, location);
    }

    private static bool TryLocation(string body, out string location)
    {
        location = string.Empty;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object &&
                document.RootElement.TryGetProperty("Location", out var value) && value.ValueKind == JsonValueKind.String)
            {
                location = value.GetString()!;
                return location.Length > 0;
            }
        }
        catch (JsonException)
        {
        }

        return false;
    }

    private static async Task<string> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            return Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 64 * 1024));
        }
        catch (HttpRequestException)
        {
            return string.Empty;
        }
    }

    internal static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);
}
