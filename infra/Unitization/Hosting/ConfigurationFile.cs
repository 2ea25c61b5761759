using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace Unitization.Host.Hosting;

/// <summary>Reads the JSON configuration file, refusing malformed JSON (with line and column) and unknown top-level keys.</summary>
public static class ConfigurationFile
{
    public static readonly IReadOnlySet<string> KnownSections = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "DataFolder", "Datacenters", "StateStore", "Kafka", "DataManager", "Replication", "Router", "Throttle", "Analytics", "Logging", "Security",
    };

    public static void AddTo(IConfigurationBuilder builder, string path)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new ConfigurationFileException($"Configuration file '{full}' does not exist.");
        }

        try
        {
            using var document = JsonDocument.Parse(
                File.ReadAllText(full),
                new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ConfigurationFileException($"{full}: the top level must be a JSON object.");
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!KnownSections.Contains(property.Name))
                {
                    throw new ConfigurationFileException(
                        $"{full}: unknown key '{property.Name}'. Known keys: {string.Join(", ", KnownSections.Order(StringComparer.Ordinal))}.");
                }
            }
        }
        catch (JsonException ex)
        {
            throw new ConfigurationFileException(
                $"{full}: line {(ex.LineNumber ?? 0) + 1}, column {(ex.BytePositionInLine ?? 0) + 1}: malformed JSON: {ex.Message}", ex);
        }

        builder.AddJsonFile(full, optional: false, reloadOnChange: false);
    }

    /// <summary>
    /// A command's configuration: the file, then <c>UNITIZATION_</c> environment variables over its keys (as <c>serve</c>
    /// reads them), then the command's <c>--data</c> (<paramref name="dataFolder"/>, when given) over <c>DataFolder</c>.
    /// </summary>
    public static IConfigurationRoot ForCommand(string path, string? dataFolder)
    {
        var builder = new ConfigurationBuilder();
        AddTo(builder, path);
        builder.AddEnvironmentVariables("UNITIZATION_");
        if (dataFolder is not null)
        {
            builder.AddInMemoryCollection(new Dictionary<string, string?> { ["DataFolder"] = dataFolder });
        }

        return builder.Build();
    }
}
