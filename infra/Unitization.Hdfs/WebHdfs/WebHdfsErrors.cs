using System.Net;
using System.Text.Json;

namespace Unitization.Hdfs.WebHdfs;

/// <summary>Turns WebHDFS error answers into the .NET exceptions the namespaces throw, each naming the path and the server.</summary>
internal static class WebHdfsErrors
{
    /// <summary>Reads a <c>RemoteException</c> body; null when the body is not one (a proxy's page, an empty 401).</summary>
    public static WebHdfsRemoteException? Parse(HttpStatusCode status, string body, Uri requestUri)
    {
        if (body.Length == 0 || body[0] != '{')
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (!document.RootElement.TryGetProperty("RemoteException", out var remote) || remote.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var exception = Text(remote, "exception");
            var javaClassName = Text(remote, "javaClassName");
            if (exception.Length == 0 && javaClassName.Length == 0)
            {
                return null;
            }

            return new WebHdfsRemoteException(status, exception.Length > 0 ? exception : javaClassName[(javaClassName.LastIndexOfAny(['.', '$']) + 1)..],
                javaClassName.Length > 0 ? javaClassName : exception, Text(remote, "message"), requestUri);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The exception an operation on <paramref name="path"/> throws for a remote error: FileNotFoundException (404 or
    /// FileNotFoundException), IOException naming the path for FileAlreadyExistsException and the other
    /// I/O failures, UnauthorizedAccessException for AccessControlException, an invalid or expired token or a
    /// failed authentication, ArgumentException for IllegalArgumentException, NotSupportedException for
    /// UnsupportedOperationException. The remote error is the inner exception.
    /// </summary>
    public static Exception Map(string @namespace, string op, string path, WebHdfsRemoteException remote)
    {
        var where = $"{@namespace}:{path} ({op})";
        if (remote.Is("FileNotFoundException"))
        {
            return new FileNotFoundException($"{where}: not found: {remote.RemoteMessage}", path, remote);
        }

        if (remote.Is("FileAlreadyExistsException"))
        {
            return new IOException($"{where}: already exists: {remote.RemoteMessage}", remote);
        }

        if (remote.Is("AccessControlException") || remote.Is("InvalidToken") || remote.Is("SecurityException") || remote.Is("AuthorizationException"))
        {
            return new UnauthorizedAccessException($"{where}: permission denied by HDFS ({remote.Exception}): {remote.RemoteMessage}", remote);
        }

        if (remote.Is("IllegalArgumentException") || remote.Is("InvalidPathException") || remote.Is("HadoopIllegalArgumentException"))
        {
            return new ArgumentException($"{where}: refused as invalid ({remote.Exception}): {remote.RemoteMessage}", remote);
        }

        if (remote.Is("UnsupportedOperationException"))
        {
            return new NotSupportedException($"{where}: not supported by this server: {remote.RemoteMessage}", remote);
        }

        return new IOException($"{where}: {remote.Exception}: {remote.RemoteMessage}", remote);
    }

    /// <summary>An error answer that is not a RemoteException (401 of a failed SPNEGO, a proxy's 502).</summary>
    public static Exception MapStatus(string @namespace, string op, string path, HttpStatusCode status, string body, Uri requestUri)
    {
        var where = $"{@namespace}:{path} ({op})";
        var excerpt = body.Length > 200 ? body[..200] + "…" : body;
        return status switch
        {
            HttpStatusCode.Unauthorized => new UnauthorizedAccessException(
                $"{where}: {Redact(requestUri)} refused the authentication (HTTP 401); for Kerberos check the ticket cache (klist) and the NameNode's SPNEGO principal. {excerpt}"),
            HttpStatusCode.Forbidden => new UnauthorizedAccessException($"{where}: {Redact(requestUri)} answered HTTP 403: {excerpt}"),
            HttpStatusCode.NotFound => new FileNotFoundException($"{where}: {Redact(requestUri)} answered HTTP 404: {excerpt}", path),
            _ => new IOException($"{where}: {Redact(requestUri)} answered HTTP {(int)status}: {excerpt}"),
        };
    }

    /// <summary>The URL without its delegation token (tokens never go into messages or logs).</summary>
    public static string Redact(Uri uri)
    {
        var text = uri.GetLeftPart(UriPartial.Path);
        var query = uri.Query.TrimStart('?');
        if (query.Length == 0)
        {
            return text;
        }

        var parts = query.Split('&').Select(p => p.StartsWith("delegation=", StringComparison.OrdinalIgnoreCase) || p.StartsWith("token=", StringComparison.OrdinalIgnoreCase)
            ? p[..(p.IndexOf('=', StringComparison.Ordinal) + 1)] + "***"
            : p);
        return text + "?" + string.Join('&', parts);
    }

    private static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() ?? string.Empty : string.Empty;
}
