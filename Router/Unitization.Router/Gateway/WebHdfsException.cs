using Microsoft.AspNetCore.Http;

namespace Unitization.Router.Gateway;

/// <summary>
/// An error the gateway answers as WebHDFS does: a status code and a <c>RemoteException</c> JSON body naming the Java
/// exception a Hadoop client maps it to.
/// </summary>
#pragma warning disable CA1032 // an internal error type with the constructors the gateway needs
internal sealed class WebHdfsException(int status, string exception, string javaClassName, string message) : Exception(message)
#pragma warning restore CA1032
{
    public int Status { get; } = status;

    public string Exception { get; } = exception;

    public string JavaClassName { get; } = javaClassName;

    public static WebHdfsException FileNotFound(string message) =>
        new(StatusCodes.Status404NotFound, "FileNotFoundException", "java.io.FileNotFoundException", message);

    public static WebHdfsException AccessControl(string message) =>
        new(StatusCodes.Status403Forbidden, "AccessControlException", "org.apache.hadoop.security.AccessControlException", message);

    public static WebHdfsException AlreadyExists(string message) =>
        new(StatusCodes.Status403Forbidden, "FileAlreadyExistsException", "org.apache.hadoop.fs.FileAlreadyExistsException", message);

    public static WebHdfsException IO(string message) =>
        new(StatusCodes.Status403Forbidden, "IOException", "java.io.IOException", message);

    public static WebHdfsException IllegalArgument(string message) =>
        new(StatusCodes.Status400BadRequest, "IllegalArgumentException", "java.lang.IllegalArgumentException", message);

    public static WebHdfsException Unsupported(string message) =>
        new(StatusCodes.Status400BadRequest, "UnsupportedOperationException", "java.lang.UnsupportedOperationException", message);

    /// <summary>What a standby NameNode answers a write with: this router follows the namespace read-only.</summary>
    public static WebHdfsException Standby(string message) =>
        new(StatusCodes.Status403Forbidden, "StandbyException", "org.apache.hadoop.ipc.StandbyException", message);

    /// <summary>A condition that passes (WebHDFS answers Hadoop's RetriableException with 503; the client retries).</summary>
    public static WebHdfsException Retriable(string message) =>
        new(StatusCodes.Status503ServiceUnavailable, "RetriableException", "org.apache.hadoop.ipc.RetriableException", message);

    public static WebHdfsException Runtime(string message) =>
        new(StatusCodes.Status500InternalServerError, "RuntimeException", "java.lang.RuntimeException", message);

    /// <summary>What a namespace failure becomes (the WebHDFS mapping: not found 404, bad argument 400, other I/O 403).</summary>
    public static WebHdfsException From(Exception exception, string path) => exception switch
    {
        WebHdfsException web => web,
        FileNotFoundException or DirectoryNotFoundException => FileNotFound($"File does not exist: {path}"),
        ArgumentException => IllegalArgument(exception.Message),
        UnauthorizedAccessException => AccessControl($"Permission denied: {path}: {exception.Message}"),
        IOException when exception.Message.Contains("exist", StringComparison.OrdinalIgnoreCase) && !exception.Message.Contains("not exist", StringComparison.OrdinalIgnoreCase) =>
            AlreadyExists($"{path}: {exception.Message}"),
        IOException => IO($"{path}: {exception.Message}"),
        _ => Runtime($"{path}: {exception.Message}"),
    };
}
