using Microsoft.Extensions.Logging;

namespace Unitization.Host.Security;

/// <summary>The security layer's log events (ids 1400-1499). Never a token, a key or a Kerberos blob.</summary>
internal static partial class SecurityLog
{
    [LoggerMessage(EventId = 1400, Level = LogLevel.Warning, Message = "audit: {Count} records could not be written to the state store ({Error}); retrying")]
    public static partial void AuditStoreFailed(ILogger logger, int count, string error);

    [LoggerMessage(EventId = 1401, Level = LogLevel.Warning, Message = "audit: records could not be produced to Kafka topic {Topic} ({Error}); the state store has them")]
    public static partial void AuditKafkaFailed(ILogger logger, string topic, string error);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Information, Message = "security: {Tokens} configured API tokens, JWT {Jwt}, Kerberos {Kerberos}, {Open} routes open to anonymous reads")]
    public static partial void Configured(ILogger logger, int tokens, string jwt, string kerberos, int open);
}
