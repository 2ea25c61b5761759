using Confluent.Kafka;

namespace Unitization.IntegrationTests.Kafka;

/// <summary>The dev broker speaks the real Kafka protocol to separate processes, consumer groups and fault tests.</summary>
[Collection(BrokerFaults.Name)]
public sealed class DevBrokerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Produce_FromAnotherProcess_ConsumerGroupReceivesEveryMessageOnce()
    {
        using var broker = DevBroker.Require();
        const int count = 500;
        var topic = await broker.CreateTopicAsync("it-produce", partitions: 3, Ct);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromMinutes(2));

        var (exitCode, output) = await broker.ProduceInAnotherProcessAsync(topic, count, "payload", deadline.Token);
        Assert.True(exitCode == 0, $"the producer process failed ({exitCode}): {output}");

        var received = new List<ConsumeResult<string, string>>();
        using (var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = broker.Bootstrap,
            GroupId = "it-group-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build())
        {
            consumer.Subscribe(topic);
            while (received.Count < count && !deadline.IsCancellationRequested)
            {
                var result = consumer.Consume(TimeSpan.FromMilliseconds(500));
                if (result is { IsPartitionEOF: false, Message: not null })
                {
                    received.Add(result);
                }
            }

            consumer.Commit();
            var committed = consumer.Committed(TimeSpan.FromSeconds(10));
            Assert.Equal(count, committed.Sum(c => c.Offset.Value));
            consumer.Close();
        }

        Assert.Equal(count, received.Count);
        Assert.Equal(Enumerable.Range(0, count).Select(i => $"payload-{i}").Order(StringComparer.Ordinal), received.Select(r => r.Message.Value).Order(StringComparer.Ordinal));
        Assert.All(received, r => Assert.Equal("k-" + r.Message.Value["payload-".Length..], r.Message.Key));
        Assert.Equal(3, received.Select(r => r.Partition.Value).Distinct().Count());
    }

    [Fact]
    public async Task FaultApi_LeaderDown_ProduceRetriesUntilBrokerIsBackThenDelivers()
    {
        using var broker = DevBroker.Require();
        var topic = await broker.CreateTopicAsync("it-fault", partitions: 1, Ct);
        await broker.PostAsync($"topics/{topic}/partitions/0/leader/1", Ct);
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = broker.Bootstrap,
            Acks = Acks.All,
            MessageTimeoutMs = 120_000,
        }).Build();
        await producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "before" }, Ct);

        await broker.PostAsync("brokers/1/down", Ct);
        try
        {
            var delivery = producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "during" }, Ct);
            var inFlight = producer.Flush(TimeSpan.FromSeconds(2));

            Assert.Equal(1, inFlight);
            Assert.False(delivery.IsCompleted);
            var state = await broker.GetAsync<BrokerState>("state", Ct);
            Assert.Equal([1], state!.Down);

            await broker.PostAsync("brokers/1/up", Ct);
            var report = await delivery.WaitAsync(TimeSpan.FromMinutes(2), Ct);

            Assert.Equal(PersistenceStatus.Persisted, report.Status);
            Assert.Equal(1, report.Offset.Value);
        }
        finally
        {
            await broker.PostAsync("brokers/1/up", CancellationToken.None);
        }
    }

    [Fact]
    public async Task ControlApi_UnknownBroker_ProblemNamingTheValidIds()
    {
        using var broker = DevBroker.Require();

        using var response = await broker.Control.PostAsync("brokers/9/down", null, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Broker ids are 1..3", body, StringComparison.Ordinal);
    }

    private sealed record BrokerState(string Bootstrap, int Brokers, int[] Down, Dictionary<string, int> Topics);
}
