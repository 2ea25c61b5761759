using Microsoft.Extensions.Logging;

namespace Unitization.Hdfs.WebHdfs;

internal static partial class WebHdfsLog
{
    [LoggerMessage(EventId = 1700, Level = LogLevel.Warning, Message = "WebHDFS {Namespace}: {Op} {Path} on {NameNode} failed ({Reason}); failing over to {Next}")]
    public static partial void FailingOver(ILogger logger, string @namespace, string op, string path, string nameNode, string reason, string next);

    [LoggerMessage(EventId = 1701, Level = LogLevel.Information, Message = "WebHDFS {Namespace}: {Op} {Path}: {NameNode} asked to retry ({Reason}); retrying in {DelayMs} ms")]
    public static partial void Retrying(ILogger logger, string @namespace, string op, string path, string nameNode, string reason, long delayMs);

    [LoggerMessage(EventId = 1702, Level = LogLevel.Information, Message = "WebHDFS {Namespace}: the active NameNode is now {NameNode}")]
    public static partial void ActiveNameNode(ILogger logger, string @namespace, string nameNode);

    [LoggerMessage(EventId = 1703, Level = LogLevel.Information, Message = "WebHDFS {Namespace}: fetched a delegation token over SPNEGO (renewer {Renewer})")]
    public static partial void TokenFetched(ILogger logger, string @namespace, string renewer);

    [LoggerMessage(EventId = 1704, Level = LogLevel.Information, Message = "WebHDFS {Namespace}: renewed the delegation token until {Expiry}")]
    public static partial void TokenRenewed(ILogger logger, string @namespace, DateTimeOffset expiry);

    [LoggerMessage(EventId = 1705, Level = LogLevel.Warning, Message = "WebHDFS {Namespace}: could not remove the staged file {Path} after a failed write: {Error}")]
    public static partial void StagingLeft(ILogger logger, string @namespace, string path, string error);
}
