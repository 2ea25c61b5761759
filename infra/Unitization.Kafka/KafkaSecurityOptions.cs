using System.ComponentModel.DataAnnotations;
using Confluent.Kafka;

namespace Unitization.Kafka;

/// <summary>
/// <c>Kafka:Security</c>: how every Kafka client of the service authenticates and encrypts, passed to Confluent.Kafka
/// (librdkafka) as its <c>security.protocol</c>, <c>sasl.*</c> and <c>ssl.*</c> settings. SASL_SSL with GSSAPI
/// (Kerberos: a keytab and principal, or the ticket cache when neither is set) or SCRAM-SHA-256/512 (user and password)
/// is what a secured cluster asks; the combination is checked at start, naming the key that is missing.
/// </summary>
public sealed class KafkaSecurityOptions : IValidatableObject
{
    public SecurityProtocol Protocol { get; set; } = SecurityProtocol.Plaintext;

    public SaslMechanism? Mechanism { get; set; }

    /// <summary>SCRAM/PLAIN user.</summary>
    public string? Username { get; set; }

    /// <summary>SCRAM/PLAIN password (a secret: never logged or shown).</summary>
    public string? Password { get; set; }

    /// <summary>GSSAPI: the brokers' Kerberos service name (<c>sasl.kerberos.service.name</c>, default <c>kafka</c>).</summary>
    public string KerberosServiceName { get; set; } = "kafka";

    /// <summary>GSSAPI: this client's principal (with <see cref="KerberosKeytab"/>).</summary>
    public string? KerberosPrincipal { get; set; }

    /// <summary>GSSAPI: the keytab file (its path is shown in errors, its contents never read by the service).</summary>
    public string? KerberosKeytab { get; set; }

    /// <summary>SSL: the CA certificate(s) (PEM) the brokers' certificates chain to (default: the system's).</summary>
    public string? SslCaLocation { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var sasl = Protocol is SecurityProtocol.SaslSsl or SecurityProtocol.SaslPlaintext;
        if (sasl && Mechanism is null)
        {
            yield return new ValidationResult($"Protocol {Protocol} needs a Mechanism (Gssapi, ScramSha256, ScramSha512 or Plain)", [nameof(Mechanism)]);
        }

        if (!sasl && Mechanism is not null)
        {
            yield return new ValidationResult($"Mechanism {Mechanism} needs Protocol SaslSsl (or SaslPlaintext)", [nameof(Protocol)]);
        }

        if (sasl && Mechanism is SaslMechanism.ScramSha256 or SaslMechanism.ScramSha512 or SaslMechanism.Plain)
        {
            if (string.IsNullOrEmpty(Username))
            {
                yield return new ValidationResult($"Mechanism {Mechanism} needs a Username", [nameof(Username)]);
            }

            if (string.IsNullOrEmpty(Password))
            {
                yield return new ValidationResult($"Mechanism {Mechanism} needs a Password (UNITIZATION_Kafka__Security__Password)", [nameof(Password)]);
            }
        }

        if (Mechanism == SaslMechanism.Gssapi && (KerberosPrincipal is null) != (KerberosKeytab is null))
        {
            yield return new ValidationResult("GSSAPI takes KerberosPrincipal and KerberosKeytab together (or neither, for the ticket cache)", [KerberosKeytab is null ? nameof(KerberosKeytab) : nameof(KerberosPrincipal)]);
        }

        if (KerberosKeytab is { Length: > 0 } keytab && !File.Exists(keytab))
        {
            yield return new ValidationResult($"the keytab {keytab} does not exist", [nameof(KerberosKeytab)]);
        }

        if (SslCaLocation is { Length: > 0 } ca && !File.Exists(ca))
        {
            yield return new ValidationResult($"the CA file {ca} does not exist", [nameof(SslCaLocation)]);
        }
    }

    /// <summary>Puts these settings on a client's configuration (producer, consumer or admin) and returns it.</summary>
    public T ApplyTo<T>(T config)
        where T : ClientConfig
    {
        ArgumentNullException.ThrowIfNull(config);
        config.SecurityProtocol = Protocol;
        if (Mechanism is { } mechanism)
        {
            config.SaslMechanism = mechanism;
            if (mechanism == SaslMechanism.Gssapi)
            {
                config.SaslKerberosServiceName = KerberosServiceName;
                if (KerberosPrincipal is { Length: > 0 } principal)
                {
                    config.SaslKerberosPrincipal = principal;
                    config.SaslKerberosKeytab = KerberosKeytab;
                }
            }
            else
            {
                config.SaslUsername = Username;
                config.SaslPassword = Password;
            }
        }

        if (SslCaLocation is { Length: > 0 } ca)
        {
            config.SslCaLocation = ca;
        }

        return config;
    }

    public override string ToString() =>
        $"Kafka security {{ Protocol = {Protocol}, Mechanism = {Mechanism?.ToString() ?? "none"}, Username = {Username}, Password = {(Password is null ? "none" : "***")}, KerberosPrincipal = {KerberosPrincipal}, KerberosKeytab = {KerberosKeytab} }}";
}
