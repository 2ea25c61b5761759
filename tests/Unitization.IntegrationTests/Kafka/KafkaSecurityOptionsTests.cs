using System.ComponentModel.DataAnnotations;
using Confluent.Kafka;
using Unitization.Kafka;

namespace Unitization.IntegrationTests.Kafka;

/// <summary>Kafka:Security reaches Confluent.Kafka as librdkafka's settings, and a combination that cannot work is refused naming the key.</summary>
public sealed class KafkaSecurityOptionsTests
{
    private static List<string> Problems(KafkaSecurityOptions security)
    {
        var options = new KafkaOptions { Security = security };
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results.Select(r => $"{string.Join(",", r.MemberNames)}: {r.ErrorMessage}").ToList();
    }

    [Fact]
    public void ApplyTo_SaslSslScram_LibrdkafkaSettings()
    {
        var security = new KafkaSecurityOptions { Protocol = SecurityProtocol.SaslSsl, Mechanism = SaslMechanism.ScramSha512, Username = "unitization", Password = "pw-123456" };

        var config = security.ApplyTo(new ProducerConfig { BootstrapServers = "kafka:9093" });

        Assert.Empty(Problems(security));
        Assert.Equal("sasl_ssl", config.Get("security.protocol"));
        Assert.Equal("SCRAM-SHA-512", config.Get("sasl.mechanism"));
        Assert.Equal(("unitization", "pw-123456"), (config.SaslUsername, config.SaslPassword));
        Assert.DoesNotContain("pw-123456", security.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ApplyTo_SaslSslGssapiWithKeytab_KerberosSettings()
    {
        var keytab = Path.GetTempFileName();
        try
        {
            var security = new KafkaSecurityOptions { Protocol = SecurityProtocol.SaslSsl, Mechanism = SaslMechanism.Gssapi, KerberosPrincipal = "unitization/host@EXAMPLE.COM", KerberosKeytab = keytab };

            var config = security.ApplyTo(new ConsumerConfig());

            Assert.Empty(Problems(security));
            Assert.Equal("GSSAPI", config.Get("sasl.mechanism"));
            Assert.Equal(("kafka", "unitization/host@EXAMPLE.COM", keytab), (config.SaslKerberosServiceName, config.SaslKerberosPrincipal, config.SaslKerberosKeytab));
        }
        finally
        {
            File.Delete(keytab);
        }
    }

    [Theory]
    [InlineData(SecurityProtocol.SaslSsl, null, null, null, "Security:Mechanism")]
    [InlineData(SecurityProtocol.SaslSsl, SaslMechanism.ScramSha256, "u", null, "Security:Password")]
    [InlineData(SecurityProtocol.SaslSsl, SaslMechanism.ScramSha256, null, "p", "Security:Username")]
    [InlineData(SecurityProtocol.Ssl, SaslMechanism.Gssapi, null, null, "Security:Protocol")]
    public void Validate_IncompleteCombination_NamesTheKey(SecurityProtocol protocol, SaslMechanism? mechanism, string? user, string? password, string key)
    {
        var problems = Problems(new KafkaSecurityOptions { Protocol = protocol, Mechanism = mechanism, Username = user, Password = password });

        Assert.Contains(problems, p => p.StartsWith(key, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_GssapiKeytabMissing_NamesIt()
    {
        var problems = Problems(new KafkaSecurityOptions { Protocol = SecurityProtocol.SaslSsl, Mechanism = SaslMechanism.Gssapi, KerberosPrincipal = "u@R", KerberosKeytab = "/nonexistent/u.keytab" });

        Assert.Contains(problems, p => p.StartsWith("Security:KerberosKeytab", StringComparison.Ordinal) && p.Contains("does not exist", StringComparison.Ordinal));
    }
}
