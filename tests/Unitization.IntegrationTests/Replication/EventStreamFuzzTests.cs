using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Unitization.Replication.DeadLetters;
using Unitization.Replication.Metastore;
using Unitization.SampleHms;
using Unitization.TestUtils.Servers;

namespace Unitization.IntegrationTests.Replication;

/// <summary>
/// Issue 16's stream fuzz: a thousand HMS events and records, most of them adversarial, through the sample HMS, the
/// pump and the real dev broker to the worker. The replicator stays up, every bad one is dead-lettered once with a
/// reason, every good one is replicated once, and the dead letters can be listed and replayed over HTTP.
/// </summary>
public sealed class EventStreamFuzzTests
{
    private const string Db = ReplicationStack.Db;
    private const string Table = ReplicationStack.Table;
    private const int HmsEvents = 900;
    private const int TopicRecords = 100;
    private const int GoodEvery = 10;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Fuzz_ThousandRandomAndAdversarialEvents_BadDeadLetteredWithReasonGoodAppliedOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var stack = await ReplicationStack.StartAsync(ct);
        var workload = stack.Workload;
        await workload.CreateTableAsync(Db, Table, ct);
        var random = new Random(16_003);
        var good = new List<string>();
        var bad = new Dictionary<long, string>(); // HMS event id -> kind
        for (var i = 0; i < HmsEvents; i++)
        {
            if (i % GoodEvery == 0)
            {
                good.Add(await workload.AddPartitionAsync(Db, Table, $"f{i:D4}", files: 1, bytesPerFile: 256 + i, ct));
                continue;
            }

            var e = AdversarialEvents.NextHmsEvent(random, Db, Table);
            stack.Catalog.AppendRaw(e.EventType, e.Db, e.Table, e.Message);
            bad[stack.Catalog.CurrentEventId] = e.Kind;
        }

        // the issue's two inputs, word for word
        stack.Catalog.AppendRaw(HiveEventType.CreateTable, Db, Table, "{\"db\":\"sales\",\"table\":\"orders\",\"tableObjJson\":\"{\\\"4\\\":{\\\"i32\\\":99999999999999999999999}}\"}");
        var overflow = stack.Catalog.CurrentEventId;
        bad[overflow] = "issue-overflow";
        stack.Catalog.AppendRaw(HiveEventType.AddPartition, Db, Table, $$"""{"db":"{{Db}}","table":"{{Table}}","partitionListJson":[5]}""");
        var numberInList = stack.Catalog.CurrentEventId;
        bad[numberInList] = "issue-partition-list";

        var raw = new Dictionary<string, string>(); // key -> kind
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = stack.KafkaBootstrap }).Build())
        {
            for (var i = 0; i < TopicRecords; i++)
            {
                var (kind, value) = AdversarialEvents.NextRecord(random, Db, Table);
                var key = $"fuzz-raw-{i}";
                raw[key] = kind;
                producer.Produce(stack.EventsTopic, new Message<string, byte[]> { Key = key, Value = value });
            }

            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
        }

        var last = await workload.AddPartitionAsync(Db, Table, "after-the-fuzz", files: 1, bytesPerFile: 100, ct);
        good.Add(last);

        Assert.True(await stack.ReplicaFreshAsync(last), "the stream did not go on past the adversarial events");
        var letters = await stack.ReadDeadLettersAsync(bad.Count + raw.Count, Deadline);
        var byEvent = new Dictionary<long, string>();
        var byKey = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var letter in letters)
        {
            var reason = Encoding.UTF8.GetString(letter.Message.Headers.GetLastBytes(DeadLetterHeaders.Reason));
            Assert.False(string.IsNullOrWhiteSpace(reason));
            if (letter.Message.Key.StartsWith("fuzz-raw-", StringComparison.Ordinal))
            {
                Assert.True(byKey.TryAdd(letter.Message.Key, reason), $"{letter.Message.Key} was dead-lettered twice");
            }
            else
            {
                var eventId = JsonDocument.Parse(letter.Message.Value).RootElement.GetProperty("eventId").GetInt64();
                Assert.True(bad.ContainsKey(eventId), $"event {eventId} is no bad one, yet it was dead-lettered: {reason}");
                Assert.True(byEvent.TryAdd(eventId, reason), $"event {eventId} was dead-lettered twice");
            }
        }

        var missed = bad.Where(b => !byEvent.ContainsKey(b.Key)).Select(b => $"{b.Key} ({b.Value})")
            .Concat(raw.Where(r => !byKey.ContainsKey(r.Key)).Select(r => $"{r.Key} ({r.Value})")).ToList();
        Assert.True(missed.Count == 0, $"{missed.Count} bad message(s) not dead-lettered: {string.Join(", ", missed.Take(20))}");
        Assert.Contains("OverflowException", byEvent[overflow], StringComparison.Ordinal);
        Assert.Contains("partitionListJson", byEvent[numberInList], StringComparison.Ordinal);

        // every good one applied once: each replica is fresh with the primary's files, and there is no other
        foreach (var path in good)
        {
            Assert.True(await stack.ReplicaFreshAsync(path), $"{path} was not replicated");
            Assert.Equal((await stack.Primary.GetStatusAsync(path + "/part-00000", ct))!.Length, (await stack.Replica.GetStatusAsync(path + "/part-00000", ct))!.Length);
        }

        var replicas = new List<string>();
        await foreach (var entry in stack.Replica.ListAsync(SampleWorkload.TablePath(Db, Table), ct))
        {
            replicas.Add(entry.Path);
        }

        Assert.Equal(good.Order(StringComparer.Ordinal), replicas.Order(StringComparer.Ordinal));
        Assert.Empty(stack.Health.FailedLoops);
        Assert.Equal(bad.Count + raw.Count, stack.Health.DeadLetters);

        // listed over HTTP with their reasons, and replayed: a replay of a bad event is dead-lettered again, naming what it replays
        var listed = await stack.Http.GetFromJsonAsync<List<DeadLetter>>("/api/v1/replication/dead-letters?limit=10000", ct);
        Assert.Equal(bad.Count + raw.Count, listed!.Count);
        var issueLetter = Assert.Single(listed, l => l.EventId == overflow);
        Assert.Equal(HiveEventType.CreateTable, issueLetter.EventType);
        using var replay = await stack.Http.PostAsJsonAsync("/api/v1/replication/dead-letters/replay", new { ids = new[] { issueLetter.Id } }, ct);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        var again = await stack.ReadDeadLettersAsync(bad.Count + raw.Count + 1, Deadline);
        Assert.Equal(issueLetter.Id, Encoding.UTF8.GetString(again[^1].Message.Headers.GetLastBytes(DeadLetterHeaders.ReplayOf)));
        using var unknown = await stack.Http.PostAsJsonAsync("/api/v1/replication/dead-letters/replay", new { ids = new[] { "0-999999" } }, ct);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var empty = await stack.Http.PostAsJsonAsync("/api/v1/replication/dead-letters/replay", new { }, ct);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
    }
}
