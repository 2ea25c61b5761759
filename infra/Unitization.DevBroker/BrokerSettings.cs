using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Unitization.Kafka;

namespace Unitization.DevBroker;

/// <summary>The topics to create, read from the <c>Kafka:Topics</c> section of the service's configuration file.</summary>
internal static class BrokerSettings
{
    public static IReadOnlyList<KafkaTopicOptions> ReadTopics(string configPath)
    {
        var full = Path.GetFullPath(configPath);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"Configuration file '{full}' does not exist.", full);
        }

        IConfiguration configuration;
        try
        {
            configuration = new ConfigurationBuilder().AddJsonFile(full, optional: false, reloadOnChange: false).Build();
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException($"{full}: {ex.Message}", ex);
        }

        var options = new KafkaOptions();
        configuration.GetSection(KafkaOptions.SectionName).Bind(options);
        var problems = new List<string>();
        for (var i = 0; i < options.Topics.Count; i++)
        {
            var results = new List<ValidationResult>();
            if (!Validator.TryValidateObject(options.Topics[i], new ValidationContext(options.Topics[i]), results, validateAllProperties: true))
            {
                problems.AddRange(results.Select(r => $"{full}: Kafka:Topics:{i}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
            }
        }

        foreach (var duplicate in options.Topics.GroupBy(t => t.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add($"{full}: Kafka:Topics: topic '{duplicate.Key}' appears {duplicate.Count()} times.");
        }

        return problems.Count > 0 ? throw new InvalidDataException(string.Join(Environment.NewLine, problems)) : options.Topics;
    }
}
