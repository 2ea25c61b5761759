using System.CommandLine;
using Confluent.Kafka;

namespace Unitization.DevBroker;

/// <summary>
/// <c>unitization-devbroker produce --bootstrap HOST:PORT --topic T --count N</c>: a plain Confluent.Kafka producer in
/// its own process, writing <c>PREFIX-i</c> values keyed <c>k-i</c>; the integration tests use it as an outside client.
/// </summary>
internal static class ProduceCommand
{
    public static Command Create()
    {
        var bootstrap = new Option<string>("--bootstrap") { Description = "Bootstrap servers.", Required = true };
        var topic = new Option<string>("--topic") { Description = "The topic to produce to.", Required = true };
        var count = new Option<int>("--count") { Description = "How many messages.", DefaultValueFactory = _ => 100 };
        var prefix = new Option<string>("--prefix") { Description = "Each value is PREFIX-i.", DefaultValueFactory = _ => "message" };
        var timeout = new Option<int>("--timeout-seconds") { Description = "How long to wait for every delivery.", DefaultValueFactory = _ => 60 };
        var command = new Command("produce", "Produce numbered messages to a topic and wait until every one is acknowledged.") { bootstrap, topic, count, prefix, timeout };
        command.SetAction((parse, cancellationToken) =>
        {
            var config = new ProducerConfig
            {
                BootstrapServers = parse.GetValue(bootstrap),
                Acks = Acks.All,
                EnableIdempotence = true,
                MessageTimeoutMs = parse.GetValue(timeout) * 1000,
            };
            using var producer = new ProducerBuilder<string, string>(config).Build();
            var name = parse.GetValue(topic)!;
            var n = parse.GetValue(count);
            var failures = 0;
            for (var i = 0; i < n; i++)
            {
                producer.Produce(name, new Message<string, string> { Key = $"k-{i}", Value = $"{parse.GetValue(prefix)}-{i}" }, report =>
                {
                    if (report.Error.IsError)
                    {
                        Interlocked.Increment(ref failures);
                        Console.Error.WriteLine($"delivery of {report.Message.Value} failed: {report.Error.Reason}");
                    }
                });
            }

            var left = producer.Flush(TimeSpan.FromSeconds(parse.GetValue(timeout)));
            if (left > 0 || failures > 0)
            {
                Console.Error.WriteLine($"unitization-devbroker produce: {failures} failed, {left} still in flight");
                return Task.FromResult(1);
            }

            Console.WriteLine($"produced {n} messages to {name}");
            return Task.FromResult(0);
        });
        return command;
    }
}
