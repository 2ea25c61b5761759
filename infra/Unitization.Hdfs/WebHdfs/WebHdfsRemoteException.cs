using System.Net;

namespace Unitization.Hdfs.WebHdfs;

/// <summary>
/// A <c>RemoteException</c> a NameNode, DataNode or HttpFS answered (<c>{"RemoteException":{"exception",
/// "javaClassName","message"}}</c>), kept as the inner exception of what <see cref="WebHdfsErrors.Map"/> throws.
/// </summary>
#pragma warning disable CA1032 // built only from an answer; the standard constructors would carry no answer
public sealed class WebHdfsRemoteException(HttpStatusCode status, string exception, string javaClassName, string message, Uri requestUri)
    : IOException($"{javaClassName}: {message} (HTTP {(int)status} from {WebHdfsErrors.Redact(requestUri)})")
#pragma warning restore CA1032
{
    public HttpStatusCode Status { get; } = status;

    /// <summary>The short name, e.g. <c>StandbyException</c>.</summary>
    public string Exception { get; } = exception;

    /// <summary>The Java class, e.g. <c>org.apache.hadoop.ipc.StandbyException</c>.</summary>
    public string JavaClassName { get; } = javaClassName;

    public string RemoteMessage { get; } = message;

    /// <summary>Whether the server named <paramref name="shortName"/> (by short or qualified name).</summary>
    public bool Is(string shortName) =>
        string.Equals(Exception, shortName, StringComparison.Ordinal) ||
        JavaClassName.EndsWith("." + shortName, StringComparison.Ordinal) ||
        JavaClassName.EndsWith("$" + shortName, StringComparison.Ordinal);
}
