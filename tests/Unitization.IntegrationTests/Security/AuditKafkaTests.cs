using System.Net;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.AspNetCore.Builder;
using Unitization.Host.Hosting;
using Unitization.IntegrationTests.Analytics;
using Unitization.TestUtils;

namespace Unitization.IntegrationTests.Security;

/// <summary>With <c>Security:Audit:Topic</c>, audit records also reach Kafka (the dev broker), one JSON message each.</summary>
public sealed class AuditKafkaTests : IDisposable
{
    private readonly TempDirectory _data = new("audit-kafka");

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task DeniedCall_IsProducedToTheAuditTopic()
    {
        var ct = TestContext.Current.CancellationToken;
        var bootstrap = TestKafka.Bootstrap();
        var topic = "audit-" + Guid.NewGuid().ToString("N")[..10];
        var app = UnitizationHost.Build(new ServeSettings(
            RepositoryPaths.ShippedConfig, Role.Throttle, "http://127.0.0.1:0", bootstrap, _data.Path,
            new Dictionary<string, string?> { ["Security:Audit:Topic"] = topic }));
        await app.StartAsync(ct);
        try
        {
            var tenant = "kafka-audit-" + Guid.NewGuid().ToString("N")[..8];
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
            using (var denied = await http.DeleteAsync(new Uri($"/api/v1/throttle/caps/{tenant}?by=x", UriKind.Relative), ct))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
            }

            using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
            {
                BootstrapServers = bootstrap,
                GroupId = "audit-test-" + topic,
                AutoOffsetReset = AutoOffsetReset.Earliest,
            }).Build();
            consumer.Subscribe(topic);
            JsonElement? found = null;
            var deadline = TimeProvider.System.GetTimestamp();
            while (found is null && TimeProvider.System.GetElapsedTime(deadline) < TimeSpan.FromSeconds(60))
            {
                try
                {
                    var message = consumer.Consume(TimeSpan.FromMilliseconds(500));
                    if (message?.Message?.Value is { } value && value.Contains(tenant, StringComparison.Ordinal))
                    {
                        found = JsonDocument.Parse(value).RootElement.Clone();
                    }
                }
                catch (ConsumeException ex) when (ex.Error.Code == ErrorCode.UnknownTopicOrPart)
                {
                    // the topic appears with the writer's first batch
                }
            }

            consumer.Close();
            Assert.True(found is not null, $"no audit record for {tenant} on topic {topic} within 60 s");
            Assert.Equal("anonymous", found.Value.GetProperty("principal").GetString());
            Assert.Equal("denied", found.Value.GetProperty("result").GetString());
            Assert.Equal(401, found.Value.GetProperty("status").GetInt32());
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }
    }
}
