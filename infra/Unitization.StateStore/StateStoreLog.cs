using Microsoft.Extensions.Logging;

namespace Unitization.StateStore;

internal static partial class StateStoreLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Applied state store migration {MigrationId}")]
    public static partial void MigrationApplied(ILogger logger, string migrationId);
}
