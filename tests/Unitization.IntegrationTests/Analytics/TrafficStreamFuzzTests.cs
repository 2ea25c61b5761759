using System.Text;
using Confluent.Kafka;
using Unitization.Analytics.Traffic;
using Unitization.TestUtils.Servers;

namespace Unitization.IntegrationTests.Analytics;

/// <summary>
/// Issue 16's stream fuzz for traffic: a thousand messages, most of them adversarial (wrong types, huge and denormal
/// numbers, truncated JSON, invalid UTF-8, raw control characters, over-long names, impossible times, unknown shapes),
/// through the real dev broker to the analytics role and ClickHouse: the role stays up, every bad message is
/// dead-lettered once with a reason, and every good record is stored once.
/// </summary>
public sealed class TrafficStreamFuzzTests(AnalyticsStack stack) : IClassFixture<AnalyticsStack>
{
    private const int Good = 300;
    private const int Bad = 700;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Fuzz_ThousandRandomAndAdversarialMessages_BadDeadLetteredWithReasonGoodStoredOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        var prefix = "fuzz" + Guid.NewGuid().ToString("N")[..6];
        var random = new Random(16_005);
        var good = TrafficSample.Make(prefix, jobs: 3, recordsPerJob: Good / 3, DateTimeOffset.UtcNow);
        var messages = good.Select(r => (Key: r.Id, Value: TrafficRecordJson.Serialize(r), Bad: (string?)null)).ToList();
        for (var i = 0; i < Bad; i++)
        {
            var (kind, value) = Adversarial(random, prefix, i);
            messages.Add(($"{prefix}-bad-{i}", value, kind));
        }

        var shuffled = messages.OrderBy(_ => random.Next()).ToList();
        await stack.PublishRawAsync(shuffled.Select(m => (m.Key, m.Value)));

        Assert.True(await stack.WaitForTotalsAsync(prefix, good.Count, good.Sum(r => r.Bytes), Deadline), "the good records were not all stored once");
        var expected = messages.Where(m => m.Bad is not null).ToDictionary(m => m.Key, m => m.Bad!, StringComparer.Ordinal);
        var letters = await ReadDeadLettersAsync(prefix, expected, ct);
        var missed = expected.Where(e => !letters.ContainsKey(e.Key)).Select(e => $"{e.Key} ({e.Value})").ToList();
        Assert.True(missed.Count == 0, $"{missed.Count} bad message(s) not dead-lettered: {string.Join(", ", missed.Take(20))}");
        Assert.All(letters.Values, reason => Assert.False(string.IsNullOrWhiteSpace(reason)));
        Assert.DoesNotContain(letters.Keys, key => !expected.ContainsKey(key));

        // still up and ingesting: a record published now is stored too
        var after = TrafficSample.Make(prefix + "z", jobs: 1, recordsPerJob: 1, DateTimeOffset.UtcNow);
        await stack.PublishAsync(after);
        Assert.True(await stack.WaitForTotalsAsync(prefix + "z", 1, after[0].Bytes, Deadline), "the ingest did not go on after the fuzz");
        Assert.Null(stack.Status.LoopError);
        using var health = await stack.Http.GetAsync(new Uri(stack.BaseAddress, "/healthz"), ct);
        Assert.True(health.IsSuccessStatusCode, $"/healthz answered {(int)health.StatusCode}");
    }

    private static (string Kind, byte[] Value) Adversarial(Random random, string prefix, int i)
    {
        var record = new TrafficRecord($"{prefix}-b{i}", $"{prefix}-job-bad", "dcA", "dcB", 1000 + i, "read", "router", DateTimeOffset.UtcNow);
        var json = Encoding.UTF8.GetString(TrafficRecordJson.Serialize(record)).TrimEnd('\n');
        string Replace(string field, string value)
        {
            var start = json.IndexOf($"\"{field}\":", StringComparison.Ordinal) + field.Length + 3;
            var end = json[start] == '"' ? json.IndexOf('"', start + 1) + 1 : json.IndexOfAny([',', '}'], start);
            return json[..start] + value + json[end..];
        }

        string[] hostileNumbers = ["\"5\"", "-5", "1e400", "5e-324", "4.9e-324", "99999999999999999999999", "-99999999999999999999999", "1.5", "true", "null", "[]", "{}"];
        return random.Next(10) switch
        {
            0 => ("not-json", Encoding.UTF8.GetBytes("{" + new string(Enumerable.Range(0, 30).Select(_ => (char)random.Next(0x20, 0x7F)).ToArray()))),
            1 => ("truncated", Encoding.UTF8.GetBytes(json[..random.Next(1, json.Length - 1)])),
            2 => ("invalid-utf8", [.. Encoding.UTF8.GetBytes(Replace("job", "\"a@b\"")).SelectMany(b => b == (byte)'@' ? new byte[] { 0xC3, 0x28, 0xFF } : [b])]),
            3 => ("wrong-bytes", Encoding.UTF8.GetBytes(Replace("bytes", hostileNumbers[random.Next(hostileNumbers.Length)]))),
            4 => ("missing-field", Encoding.UTF8.GetBytes(Replace("job", "null"))),
            5 => ("long-name", Encoding.UTF8.GetBytes(Replace("job", "\"" + new string('j', TrafficRecordJson.MaxTextLength + 1 + random.Next(3000)) + "\""))),
            // a raw '\n' would make two lines of it, each a dead letter of its own: any other control character
            6 => ("control-character", Encoding.UTF8.GetBytes(Replace("job", "\"a" + (char)random.Next(11, 32) + "b\""))),
            7 => ("bad-time", Encoding.UTF8.GetBytes(Replace("time", new[] { "\"not a time\"", "\"9999-99-99T00:00:00Z\"", "\"2200-01-01T00:00:00Z\"", "12345", "\"1969-12-31T23:59:59Z\"" }[random.Next(5)]))),
            8 => ("array", Encoding.UTF8.GetBytes("[" + json + "]")),
            _ => ("unknown-component", Encoding.UTF8.GetBytes(Replace("component", "\"evil" + random.Next(100) + "\""))),
        };
    }

    private async Task<Dictionary<string, string>> ReadDeadLettersAsync(string prefix, Dictionary<string, string> kinds, CancellationToken ct)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = stack.KafkaBootstrap,
            GroupId = "fuzz-dlq-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Subscribe(stack.DeadLetterTopic);
        var letters = new Dictionary<string, string>(StringComparer.Ordinal);
        var duplicates = new List<string>();
        await Eventually.TrueAsync(
            () =>
            {
                // drain what is there, then let Eventually decide whether to wait for more
                while (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result)
                {
                    if (result.Message is { Key: { } key } message && key.StartsWith(prefix + "-bad-", StringComparison.Ordinal)
                        && !letters.TryAdd(key, Encoding.UTF8.GetString(message.Headers.GetLastBytes("reason"))))
                    {
                        duplicates.Add($"{key} ({kinds.GetValueOrDefault(key)}: {letters[key]} / {Encoding.UTF8.GetString(message.Headers.GetLastBytes("reason"))})");
                    }
                }

                return Task.FromResult(letters.Count >= kinds.Count);
            },
            Deadline,
            ct);
        consumer.Close();
        Assert.True(duplicates.Count == 0, $"dead-lettered more than once: {string.Join(", ", duplicates.Take(10))}");
        return letters;
    }
}
