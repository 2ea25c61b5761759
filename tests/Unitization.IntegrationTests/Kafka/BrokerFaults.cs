namespace Unitization.IntegrationTests.Kafka;

/// <summary>
/// Test classes that take the shared dev broker's brokers down (its fault API). They run alone, after the parallel
/// classes, so a broker they take down never fails a test that happens to produce or consume at that moment.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrokerFaults
{
    public const string Name = "Kafka broker faults";
}
