using System.Text.RegularExpressions;
using Confluent.Kafka;

namespace Unitization.Analytics.Cli;

/// <summary>
/// A Kafka for a benchmark or a test: the given bootstrap servers, or a librdkafka mock cluster hosted by this process (the real
/// protocol on loopback, as the dev broker), found through the address librdkafka logs when it starts one.
/// </summary>
internal sealed partial class LocalKafka : IDisposable
{
    private readonly IDisposable? _host;

    private LocalKafka(string bootstrap, IDisposable? host)
    {
        Bootstrap = bootstrap;
        _host = host;
    }

    public string Bootstrap { get; }

    public static LocalKafka Start(string? bootstrap)
    {
        if (bootstrap is { Length: > 0 })
        {
            return new LocalKafka(bootstrap, null);
        }

        string? found = null;
        using var started = new ManualResetEventSlim();
        var config = new ProducerConfig { BootstrapServers = "unused:9092" };
        config.Set("test.mock.num.brokers", "3");
        var host = new ProducerBuilder<Null, Null>(config)
            .SetLogHandler((_, log) =>
            {
                var match = MockAddress().Match(log.Message);
                if (match.Success)
                {
                    found = match.Groups[1].Value;
                    started.Set();
                }
            })
            .Build();
        if (!started.Wait(TimeSpan.FromSeconds(10)))
        {
            host.Dispose();
            throw new InvalidOperationException("librdkafka did not report its mock cluster's address; pass --kafka host:port.");
        }

        return new LocalKafka(found!, host);
    }

    [GeneratedRegex(@"replaced with ([0-9.:,]+)")]
    private static partial Regex MockAddress();

    public void Dispose() => _host?.Dispose();
}
