using Confluent.Kafka;
using Unitization.DevBroker.Mock;
using Unitization.TestUtils.Servers;

namespace Unitization.IntegrationTests.Analytics;

/// <summary>
/// The Kafka the Analytics tests publish to: <c>UNITIZATION_TEST_KAFKA</c> (the dev broker <c>infra/test.sh</c>
/// starts). Outside CI, when it is not set, a librdkafka mock cluster hosted by this process (the same mock the dev
/// broker hosts: the real Kafka protocol on loopback).
/// </summary>
internal static class TestKafka
{
    public const string Variable = "UNITIZATION_TEST_KAFKA";
    private static readonly Lazy<(string? Bootstrap, IDisposable? Host)> Local = new(StartMockCluster);

    public static string Bootstrap()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } configured)
        {
            return configured;
        }

        var local = RequiredServer.IsCi ? null : Local.Value.Bootstrap;
        RequiredServer.Require(local is not null, $"Kafka ({Variable})", "infra/devbroker.sh start .run/broker && export UNITIZATION_TEST_KAFKA=$(cat .run/broker/kafka.bootstrap)");
        return local!;
    }

    public static IProducer<string, byte[]> Producer(string bootstrap) =>
        new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = bootstrap, LingerMs = 5, Acks = Acks.All }).Build();

    private static (string?, IDisposable?) StartMockCluster()
    {
        try
        {
            var cluster = new MockCluster(3);
            return (cluster.Bootstrap, cluster);
        }
        catch (Exception e) when (e is InvalidOperationException or DllNotFoundException)
        {
            return (null, null);
        }
    }
}
