using System.Reflection;
using Microsoft.Extensions.Options;

namespace Unitization.Namespaces.Configuration;

/// <summary>
/// What is wrong with a configuration, as every entry point says it (<c>serve</c> at its start, the verbs that read the
/// file without it): validation failures and unknown keys named by section and key, conversion failures with the reason.
/// </summary>
public static class OptionsFailure
{
    /// <summary>
    /// Turns an options failure into lines a person can act on, each naming the file, the configuration key
    /// (section:member) and what is wrong; any other exception's message as it is.
    /// </summary>
    public static string Describe(Exception exception, string configPath)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var file = Path.GetFullPath(configPath);
        switch (exception)
        {
            case OptionsValidationException validation:
                var section = SectionOf(validation.OptionsType);
                var lines = validation.Failures.Select(f => $"{file}: {Qualify(section, f)}");
                return string.Join(Environment.NewLine, lines);
            case InvalidOperationException when exception.Message.Contains("were not found on the instance of", StringComparison.Ordinal):
                return $"{file}: {UnknownKeys(exception.Message)}";
            case InvalidOperationException { InnerException: FormatException format }
                when !exception.Message.Contains(format.Message, StringComparison.Ordinal):
                // the binder's "Failed to convert configuration value 'x' at 'Section:Key' ..." and why (which entry); an
                // error that already says why (a URL list read after binding) is said once
                return $"{exception.Message} {format.Message}";
            case AggregateException aggregate when aggregate.InnerExceptions.Count > 0:
                return string.Join(Environment.NewLine, aggregate.InnerExceptions.Select(e => Describe(e, configPath)));
            default:
                return exception.Message;
        }
    }

    // "... not found on the instance of Unitization.Kafka.KafkaOptions: 'A', 'B'" -> "Kafka:A, Kafka:B: unknown key(s)"
    private static string UnknownKeys(string message)
    {
        const string marker = "not found on the instance of ";
        var i = message.IndexOf(marker, StringComparison.Ordinal) + marker.Length;
        var colon = message.IndexOf(':', i);
        if (colon < 0)
        {
            return message;
        }

        var typeName = message[i..colon].Trim();
        var type = AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(typeName)).FirstOrDefault(t => t is not null);
        var section = type is null ? string.Empty : SectionOf(type);
        var keys = message[(colon + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(k => k.Trim('\''))
            .Select(k => section.Length == 0 ? k : $"{section}:{k}");
        return $"unknown configuration key {string.Join(", ", keys)} (check the spelling against the component's README)";
    }

    private static string SectionOf(Type type)
    {
        var field = type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static);
        return field?.GetValue(null) as string ?? string.Empty;
    }

    private static string Qualify(string section, string failure)
    {
        // DataAnnotations failures read "DataAnnotation validation failed for 'X' members: 'Member' with the error: '...'"
        const string marker = "members: '";
        var i = failure.IndexOf(marker, StringComparison.Ordinal);
        if (i >= 0)
        {
            var start = i + marker.Length;
            var end = failure.IndexOf('\'', start);
            if (end > start)
            {
                var member = failure[start..end];
                var key = section.Length == 0 ? member : $"{section}:{member}";
                var error = failure[(end + 1)..].Trim();
                const string with = "with the error: '";
                var w = error.IndexOf(with, StringComparison.Ordinal);
                if (w >= 0)
                {
                    error = error[(w + with.Length)..].TrimEnd('.').TrimEnd('\'');
                }

                return $"{key}: {error}";
            }
        }

        return section.Length == 0 ? failure : $"{section}: {failure}";
    }
}
