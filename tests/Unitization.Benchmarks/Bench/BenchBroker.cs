namespace Unitization.Benchmarks.Bench;

/// <summary>The Kafka broker a bench verb runs against: its bootstrap servers, and the dev broker's control API when known.</summary>
internal sealed record BenchBroker(string Servers, string? ControlUrl);
