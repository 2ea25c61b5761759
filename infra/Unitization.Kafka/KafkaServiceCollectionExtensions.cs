using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Unitization.Kafka;

public static class KafkaServiceCollectionExtensions
{
    /// <summary>
    /// <see cref="KafkaOptions"/> from section <c>Kafka</c>, as every entry point reads them (<c>serve</c> and the
    /// verbs that talk to Kafka without it): an unknown key is an error, and the values are validated.
    /// </summary>
    public static OptionsBuilder<KafkaOptions> AddKafkaOptions(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return services.AddOptions<KafkaOptions>()
            .Bind(configuration.GetSection(KafkaOptions.SectionName), o => o.ErrorOnUnknownConfiguration = true)
            .ValidateDataAnnotations();
    }
}
