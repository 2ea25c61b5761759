using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Unitization.Host.Hosting;

/// <summary>
/// The console log's format, from <c>Logging:Format</c>: <c>text</c> (default: one line per event with the time) or
/// <c>json</c> (one JSON object per line: timestamp in UTC, event id, level, category, message and its fields).
/// </summary>
internal static class LogFormat
{
    public const string Key = "Logging:Format";

    public static void AddConsole(ILoggingBuilder logging, IConfiguration configuration, string configPath)
    {
        var format = configuration[Key];
        switch (format?.Trim().ToLowerInvariant())
        {
            case null or "" or "text":
                logging.AddSimpleConsole(o =>
                {
                    o.SingleLine = true;
                    o.TimestampFormat = "HH:mm:ss.fff ";
                });
                break;
            case "json":
                logging.AddJsonConsole(o =>
                {
                    o.UseUtcTimestamp = true;
                    o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                    o.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Indented = false };
                });
                break;
            default:
                throw new ConfigurationFileException($"{Path.GetFullPath(configPath)}: {Key}: '{format}' is not a log format (expected 'text' or 'json').");
        }
    }
}
