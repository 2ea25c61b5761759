using Microsoft.Extensions.Logging;

namespace Unitization.Namespaces;

internal static partial class NamespacesLog
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Opened namespace {Namespace} at {Root}: last txid {LastTxId}")]
    public static partial void Opened(ILogger logger, string @namespace, string root, long lastTxId);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Namespace {Namespace}: dropped a torn last edit-log record ({Bytes} bytes: {Reason}); edits up to txid {LastTxId} are intact")]
    public static partial void TornTailDropped(ILogger logger, string @namespace, long bytes, string reason, long lastTxId);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Namespace {Namespace}: removed {Count} stale temporary file(s) left by an interrupted write")]
    public static partial void StaleTempRemoved(ILogger logger, string @namespace, int count);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Error, Message = "Namespace {Namespace}: {Problem}. The namespace opens and reads but takes no writes; stop the service and run 'unitization fs recover --namespace {Namespace}'")]
    public static partial void EditNotApplied(ILogger logger, string @namespace, string problem);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Warning, Message = "Namespace {Namespace}: the edit log ends inside a frame at byte {Offset} ({Bytes} bytes: {Reason}), a write torn by a crash or one in progress; this read-only view stops before it")]
    public static partial void TornTailIgnored(ILogger logger, string @namespace, long offset, long bytes, string reason);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Information, Message = "Namespace {Namespace}: re-applied the last logged edit {TxId} ({Op} {Path}) after an interrupted run")]
    public static partial void LastEditRedone(ILogger logger, string @namespace, long txId, string op, string path);
}
