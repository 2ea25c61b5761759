using Microsoft.Extensions.Logging;

namespace Unitization.Host.Hosting;

/// <summary>The <c>unitization</c> host's own log events (ids 1300-1399).</summary>
internal static partial class HostLog
{
    [LoggerMessage(EventId = 1300, Level = LogLevel.Information, Message = "listening on {Url} (roles: {Roles})")]
    public static partial void Listening(ILogger logger, string url, string roles);
}
