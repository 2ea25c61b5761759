using System.ComponentModel.DataAnnotations;

namespace Unitization.Kafka;

/// <summary>
/// Configuration section <c>Kafka</c>. Either <see cref="BootstrapServers"/> names a real cluster (or
/// <c>unitization serve --kafka host:port</c> sets it), or the address is read from <see cref="BootstrapFile"/>, which
/// the dev broker writes each time it starts (its ports change per start).
/// </summary>
public sealed class KafkaOptions : IValidatableObject
{
    public const string SectionName = "Kafka";

    public string? BootstrapServers { get; set; }

    /// <summary>Relative to the data folder.</summary>
    [Required(AllowEmptyStrings = false)]
    public string BootstrapFile { get; set; } = "kafka.bootstrap";

    /// <summary>Authentication and TLS of every Kafka client (SASL_SSL with GSSAPI or SCRAM); plaintext by default.</summary>
    public KafkaSecurityOptions Security { get; set; } = new();

    /// <summary>The topics the services use, with the partition count the dev broker creates them with.</summary>
    public List<KafkaTopicOptions> Topics { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(Security, new ValidationContext(Security), results, validateAllProperties: true);
        return results.Select(r => new ValidationResult(r.ErrorMessage, r.MemberNames.Select(m => $"{nameof(Security)}:{m}").ToList()));
    }
}
