using Microsoft.Extensions.Logging;

namespace Unitization.Hdfs;

/// <summary>The log messages of the HDFS component (event ids 2400-2499).</summary>
internal static partial class HdfsLog
{
    [LoggerMessage(EventId = 2400, Level = LogLevel.Information, Message = "JournalNode double listening on {Url}, serving {Root}")]
    public static partial void JournalNodeListening(ILogger logger, string url, string root);

    [LoggerMessage(EventId = 2401, Level = LogLevel.Information, Message = "journal {JournalId}: following namespace {Root} from its first edit, segments of {SegmentOps} ops in layout {LayoutVersion}")]
    public static partial void JournalFollowing(ILogger logger, string journalId, string root, int segmentOps, int layoutVersion);

    [LoggerMessage(EventId = 2402, Level = LogLevel.Warning, Message = "journal {JournalId}: reading namespace {Root} failed after edit {LastEdit}; retrying")]
    public static partial void JournalFollowFailed(ILogger logger, Exception exception, string journalId, string root, long lastEdit);

    [LoggerMessage(EventId = 2403, Level = LogLevel.Warning, Message = "hdfs namespace {Datacenter}: the journal tail for its last txid failed; retrying")]
    public static partial void TipFollowFailed(ILogger logger, Exception exception, string datacenter);
}
