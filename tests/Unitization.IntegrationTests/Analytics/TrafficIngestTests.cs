using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Unitization.Analytics.Storage;
using Unitization.Analytics.Traffic;
using Unitization.TestUtils.Servers;

namespace Unitization.IntegrationTests.Analytics;

/// <summary>Traffic published to Kafka reaches ClickHouse through the analytics role exactly once.</summary>
public sealed class TrafficIngestTests(AnalyticsStack stack) : IClassFixture<AnalyticsStack>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Ingest_SameRecordsPublishedTwice_CountedOnceInTableAndRollups()
    {
        var prefix = "replay" + Guid.NewGuid().ToString("N")[..6];
        var records = TrafficSample.Make(prefix, jobs: 5, recordsPerJob: 200, DateTimeOffset.UtcNow);
        var bytes = records.Sum(r => r.Bytes);
        await stack.PublishAsync(records);
        Assert.True(await stack.WaitForTotalsAsync(prefix, records.Count, bytes, Deadline), "the first publication did not reach ClickHouse");

        var duplicatesBefore = stack.Status.Duplicates;
        await stack.PublishAsync(records); // a replay: same ids
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(stack.Status.Duplicates >= duplicatesBefore + records.Count), Deadline, TestContext.Current.CancellationToken), "the replay was not consumed");

        var like = ClickHouseSql.Quote(prefix);
        Assert.Equal(records.Count, await stack.ScalarAsync($"SELECT count() FROM traffic WHERE startsWith(job, {like})"));
        Assert.Equal(bytes, await stack.ScalarAsync($"SELECT sum(bytes) FROM traffic_job_hourly WHERE startsWith(job, {like})"));
        Assert.Equal(records.Count, await stack.ScalarAsync($"SELECT sum(records) FROM traffic_job_hourly WHERE startsWith(job, {like})"));
        var crossBytes = records.Where(r => r.CrossesDatacenters).Sum(r => r.Bytes);
        var linkBytesBefore = await stack.ScalarAsync("SELECT sum(bytes) FROM traffic_link_minutely WHERE source_dc = 'dcB'");
        Assert.True(linkBytesBefore >= crossBytes);
    }

    [Fact]
    public async Task Ingest_MalformedRecords_DeadLetteredWithReasonAndStreamGoesOn()
    {
        var prefix = "dlq" + Guid.NewGuid().ToString("N")[..6];
        var good = TrafficSample.Make(prefix, jobs: 2, recordsPerJob: 50, DateTimeOffset.UtcNow);
        await stack.PublishAsync(good.Take(50));
        var bad = new (string Key, string Value, string Reason)[]
        {
            (prefix + "-bad-json", "{not json", "not valid JSON"),
            (prefix + "-bad-bytes", $$"""{"id":"{{prefix}}-x","job":"j","sourceDatacenter":"dcA","destinationDatacenter":"dcB","bytes":-5,"operation":"read","component":"router","time":"2026-01-01T00:00:00Z"}""", "field 'bytes' must be a non-negative integer"),
            (prefix + "-no-job", $$"""{"id":"{{prefix}}-y","sourceDatacenter":"dcA","destinationDatacenter":"dcB","bytes":5,"operation":"read","component":"router","time":"2026-01-01T00:00:00Z"}""", "field 'job' is missing"),
        };
        foreach (var (key, value, _) in bad)
        {
            await stack.PublishRawAsync(key, Encoding.UTF8.GetBytes(value));
        }

        await stack.PublishAsync(good.Skip(50));
        Assert.True(await stack.WaitForTotalsAsync(prefix, good.Count, good.Sum(r => r.Bytes), Deadline), "records after the malformed ones were not stored");

        using var consumer = DeadLetterReader(prefix);
        var letters = new Dictionary<string, (string Reason, string Value)>();
        await Eventually.TrueAsync(() =>
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result?.Message is { Key: { } key } message && key.StartsWith(prefix, StringComparison.Ordinal))
            {
                letters[key] = (Encoding.UTF8.GetString(message.Headers.GetLastBytes("reason")), Encoding.UTF8.GetString(message.Value));
            }

            return Task.FromResult(letters.Count == bad.Length);
        }, Deadline, TestContext.Current.CancellationToken);
        consumer.Close();

        foreach (var (key, value, reason) in bad)
        {
            Assert.True(letters.TryGetValue(key, out var letter), $"no dead letter for {key}");
            Assert.Contains(reason, letter.Reason, StringComparison.Ordinal);
            Assert.Equal(value, letter.Value);
        }
    }

    [Fact]
    public async Task Ingest_RecorderBatchesRecordsIntoJsonLines_EveryRecordStoredOnce()
    {
        var prefix = "rec" + Guid.NewGuid().ToString("N")[..6];
        var records = TrafficSample.Make(prefix, jobs: 3, recordsPerJob: 700, DateTimeOffset.UtcNow);
        using (var recorder = new KafkaTrafficRecorder(() => stack.KafkaBootstrap, stack.TrafficTopic, AnalyticsStack.TestProducerProvenance, NullLogger<KafkaTrafficRecorder>.Instance))
        {
            foreach (var record in records)
            {
                recorder.Record(record);
            }
        }

        Assert.True(await stack.WaitForTotalsAsync(prefix, records.Count, records.Sum(r => r.Bytes), Deadline), "the recorder's records did not all reach ClickHouse");
        Assert.Equal(records.Count, await stack.ScalarAsync($"SELECT count() FROM traffic WHERE startsWith(job, {ClickHouseSql.Quote(prefix)})"));
    }

    [Fact]
    public async Task Ingest_JsonLinesMessageWithOneBadLine_LineDeadLetteredOthersStored()
    {
        var prefix = "lines" + Guid.NewGuid().ToString("N")[..6];
        var good = TrafficSample.Make(prefix, jobs: 1, recordsPerJob: 2, DateTimeOffset.UtcNow);
        var badLine = $$"""{"id":"{{prefix}}-z","job":"j","sourceDatacenter":"dcA","destinationDatacenter":"dcB","bytes":"many","operation":"read","component":"router","time":"2026-01-01T00:00:00Z"}""";
        var message = Encoding.UTF8.GetString(TrafficRecordJson.Serialize(good[0])) + "\n" + badLine + "\n" + Encoding.UTF8.GetString(TrafficRecordJson.Serialize(good[1])) + "\n";
        await stack.PublishRawAsync(prefix + "-batch", Encoding.UTF8.GetBytes(message));
        Assert.True(await stack.WaitForTotalsAsync(prefix, good.Count, good.Sum(r => r.Bytes), Deadline), "the good lines around the bad one were not stored");

        using var consumer = DeadLetterReader(prefix);
        (string Reason, string Value)? letter = null;
        await Eventually.TrueAsync(() =>
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200))?.Message is { Key: { } key } found && key == prefix + "-batch")
            {
                letter = (Encoding.UTF8.GetString(found.Headers.GetLastBytes("reason")), Encoding.UTF8.GetString(found.Value));
            }

            return Task.FromResult(letter is not null);
        }, Deadline, TestContext.Current.CancellationToken);
        consumer.Close();

        Assert.NotNull(letter);
        Assert.Equal(badLine, letter.Value.Value);
        Assert.StartsWith("line 2: field 'bytes' must be a non-negative integer", letter.Value.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("unsigned")]
    [InlineData("unknown-producer")]
    [InlineData("altered")]
    public async Task Ingest_ForgedRecordNotFromATrustedProducer_DeadLetteredNotStored(string forgery)
    {
        // issue 19: a record typed into the topic by someone who can reach the broker must not rank on the dashboard
        var prefix = "forged" + Guid.NewGuid().ToString("N")[..6];
        var text = $$"""{"id":"{{prefix}}-1","job":"finance.ledger_close","sourceDatacenter":"dcA","destinationDatacenter":"dcB","bytes":5000000000000,"operation":"read","component":"router","time":"{{DateTimeOffset.UtcNow:O}}"}""";
        var forged = Encoding.UTF8.GetBytes(text);
        Headers? headers = forgery switch
        {
            "unsigned" => null,
            "unknown-producer" => TrafficProvenance.Sign("mallory", System.Security.Cryptography.RandomNumberGenerator.GetBytes(32), forged),
            _ => AnalyticsStack.Sign(Encoding.UTF8.GetBytes(text.Replace("5000000000000", "5", StringComparison.Ordinal))), // signed, then altered
        };
        await stack.PublishUnprovenAsync(prefix + "-forged", forged, headers);
        var good = TrafficSample.Make(prefix, jobs: 1, recordsPerJob: 3, DateTimeOffset.UtcNow);
        await stack.PublishAsync(good); // after the forged one: once these are stored, the forged one was dealt with
        Assert.True(await stack.WaitForTotalsAsync(prefix, good.Count, good.Sum(r => r.Bytes), Deadline));

        using var consumer = DeadLetterReader(prefix);
        string? reason = null;
        await Eventually.TrueAsync(() =>
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200))?.Message is { Key: { } key } found && key == prefix + "-forged")
            {
                reason = Encoding.UTF8.GetString(found.Headers.GetLastBytes("reason"));
            }

            return Task.FromResult(reason is not null);
        }, Deadline, TestContext.Current.CancellationToken);
        consumer.Close();

        Assert.Contains(forgery == "unsigned" ? "unsigned" : forgery == "altered" ? "does not match" : "'mallory' is not trusted", reason, StringComparison.Ordinal);
        Assert.Equal(0, await stack.ScalarAsync($"SELECT count() FROM traffic WHERE id = {ClickHouseSql.Quote(prefix + "-1")}"));
    }

    [Fact]
    public async Task TopEndpoint_KnownTraffic_RanksJobsByCrossDatacenterBytes()
    {
        var prefix = "top" + Guid.NewGuid().ToString("N")[..6];
        var records = TrafficSample.Make(prefix, jobs: 3, recordsPerJob: 30, DateTimeOffset.UtcNow);
        await stack.PublishAsync(records);
        Assert.True(await stack.WaitForTotalsAsync(prefix, records.Count, records.Sum(r => r.Bytes), Deadline));

        using var top = await stack.Http.GetFromJsonAsync<JsonDocument>(new Uri(stack.BaseAddress, "/api/v1/traffic/top?window=1h&limit=1000"), TestContext.Current.CancellationToken);
        var mine = top!.RootElement.GetProperty("jobs").EnumerateArray()
            .Where(j => j.GetProperty("job").GetString()!.StartsWith(prefix, StringComparison.Ordinal))
            .Select(j => (Job: j.GetProperty("job").GetString()!, Bytes: j.GetProperty("bytes").GetInt64()))
            .ToList();
        var expected = records.Where(r => r.CrossesDatacenters).GroupBy(r => r.Job)
            .Select(g => (Job: g.Key, Bytes: g.Sum(r => r.Bytes))).OrderByDescending(x => x.Bytes).ToList();
        Assert.Equal(expected, mine);
    }

    [Fact]
    public async Task TopEndpoint_BadWindow_ProblemNamesTheParameter()
    {
        using var response = await stack.Http.GetAsync(new Uri(stack.BaseAddress, "/api/v1/traffic/top?window=1x"), TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("window '1x'", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    private IConsumer<string, byte[]> DeadLetterReader(string prefix)
    {
        var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = stack.KafkaBootstrap,
            GroupId = "dlq-reader-" + prefix,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
        consumer.Subscribe(stack.DeadLetterTopic);
        return consumer;
    }
}
