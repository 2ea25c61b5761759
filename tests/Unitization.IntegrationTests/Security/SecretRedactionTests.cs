using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Unitization.Host.Security;
using Unitization.IntegrationTests.Processes;
using Unitization.TestUtils;
using Unitization.TestUtils.Servers;

namespace Unitization.IntegrationTests.Security;

/// <summary>
/// Issue 19: secrets never in logs, errors or /healthz. A real <c>unitization serve</c> is given a ClickHouse password, a
/// ClickHouse URL with a password in it, a Kafka SCRAM password and a provenance key, with ClickHouse and Kafka both
/// unreachable so their errors are logged and shown in health; its whole log and /healthz are scanned for each secret.
/// </summary>
public sealed class SecretRedactionTests : IDisposable
{
    private const string ClickHousePassword = "ch-password-5d1f0c";
    private const string UrlPassword = "url-password-77aa01";
    private const string KafkaPassword = "kafka-scram-password-9e3b";
    private static readonly string ProvenanceKey = Convert.ToBase64String("provenance-key-0123456789abcdef"u8.ToArray());
    private readonly TempDirectory _data = new("secrets");

    public void Dispose() => _data.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Redact_ConfiguredSecretsAndUrlPasswords_Masked()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Analytics:ClickHousePassword"] = ClickHousePassword,
            ["Kafka:Security:Password"] = KafkaPassword,
            ["Analytics:Provenance:Keys:router"] = ProvenanceKey,
            ["Router:WebHdfs:TokenMaxLifetime"] = "7.00:00:00",
            ["Kafka:Security:KerberosKeytab"] = "/etc/security/unitization.keytab",
        }).Build();

        var redactor = SecretRedactor.FromConfiguration(configuration);
        var text = redactor.Redact($"x {ClickHousePassword} y {KafkaPassword} z {ProvenanceKey} http://u:{UrlPassword}@host:1/ 7.00:00:00 /etc/security/unitization.keytab");

        Assert.Equal(3, redactor.Count);
        Assert.Equal("x *** y *** z *** http://u:***@host:1/ 7.00:00:00 /etc/security/unitization.keytab", text);
    }

    [Fact]
    public void RedactingLogger_SecretInMessageFieldsAndException_NeverWritten()
    {
        var captured = new CapturingProvider();
        using var provider = new RedactingLoggerProvider(captured, new SecretRedactor([KafkaPassword]));
        var logger = provider.CreateLogger("test");

#pragma warning disable CA1848, CA2254 // the test logs a secret on purpose, through every path a message takes
        logger.LogError(new InvalidOperationException($"connect failed with {KafkaPassword}"), "login as {User} with {Password}", "svc", KafkaPassword);
#pragma warning restore CA1848, CA2254

        var (message, fields, exception) = Assert.Single(captured.Lines);
        Assert.Equal("login as svc with ***", message);
        Assert.DoesNotContain(KafkaPassword, fields, StringComparison.Ordinal);
        Assert.DoesNotContain(KafkaPassword, exception, StringComparison.Ordinal);
        Assert.Contains("connect failed with ***", exception, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_SecretsConfiguredAndServersDown_NotInLogsNorHealthz()
    {
        var port = FreePort();
        var config = _data.Combine("unitization.json");
        await File.WriteAllTextAsync(config, $$"""
            {
              "DataFolder": "{{_data.Combine("data")}}",
              "Logging": { "Format": "json", "LogLevel": { "Default": "Debug" } },
              "Datacenters": [ { "Id": "dcA", "Kind": "local", "Root": "dcA" }, { "Id": "dcB", "Kind": "local", "Root": "dcB" } ],
              "StateStore": { "Provider": "sqlite", "Path": "state.db" },
              "Kafka": {
                "BootstrapServers": "127.0.0.1:9",
                "Security": { "Protocol": "SaslPlaintext", "Mechanism": "ScramSha256", "Username": "unitization", "Password": "{{KafkaPassword}}" }
              },
              "Throttle": { "Links": [ { "From": "dcA", "To": "dcB", "BytesPerSecond": 1000000 }, { "From": "dcB", "To": "dcA", "BytesPerSecond": 1000000 } ] },
              "Analytics": {
                "ClickHouseUrl": "http://unitization:{{UrlPassword}}@127.0.0.1:9",
                "ClickHouseUser": "unitization",
                "ClickHousePassword": "{{ClickHousePassword}}",
                "RetryMilliseconds": 200,
                "Provenance": { "Keys": { "unitization": "{{ProvenanceKey}}" } }
              }
            }
            """, Ct);
        using var serve = CollectedProcess.StartUnitization(["serve", "--roles", "analytics,throttle", "--config", config, "--urls", $"http://127.0.0.1:{port}"]);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        string? health = null;
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                health = await http.GetStringAsync(new Uri("/healthz", UriKind.Relative), Ct);
            }
            catch (HttpRequestException e) when (e.StatusCode is HttpStatusCode.ServiceUnavailable or null)
            {
                health = null; // not listening yet, or unhealthy (answered with 503: read below)
            }

            return health is not null && health.Contains("does not answer", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(60), Ct);
        serve.Kill();

        var log = serve.Output;
        Assert.NotNull(health);
        Assert.Contains("unitization:***@127.0.0.1", health, StringComparison.Ordinal); // the URL is shown, its password is not
        foreach (var secret in new[] { ClickHousePassword, UrlPassword, KafkaPassword, ProvenanceKey })
        {
            Assert.DoesNotContain(secret, health, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, log, StringComparison.Ordinal);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class CapturingProvider : ILoggerProvider
    {
        public List<(string Message, string Fields, string Exception)> Lines { get; } = [];

        public ILogger CreateLogger(string categoryName) => new Capturing(Lines);

        public void Dispose()
        {
        }

        private sealed class Capturing(List<(string, string, string)> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Add((formatter(state, exception), string.Join(";", (state as IEnumerable<KeyValuePair<string, object?>> ?? []).Select(p => $"{p.Key}={p.Value}")), exception?.ToString() ?? string.Empty));
        }
    }
}
