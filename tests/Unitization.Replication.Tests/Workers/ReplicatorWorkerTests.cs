using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Unitization.Kafka;
using Unitization.Namespaces.Configuration;
using Unitization.Replication.Events;
using Unitization.Replication.Metastore;
using Unitization.Replication.Metastore.Thrift;
using Unitization.Replication.Pump;
using Unitization.Replication.Tests.Fakes;
using Unitization.Replication.Workers;
using Unitization.TestUtils.Namespaces;

namespace Unitization.Replication.Tests.Workers;

public sealed class ReplicatorWorkerTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 1, 0, 0, TimeSpan.Zero);
    private readonly InstantDelayTimeProvider _time = new(Start);
    private readonly ScriptedApplier _applier = new();
    private readonly RecordingDeadLetters _deadLetters = new();
    private readonly ReplicationHealth _health = new();
    private readonly ReplicationOptions _options = new() { MaxBackoff = TimeSpan.FromSeconds(10), TransientRetryLimit = TimeSpan.FromMinutes(10) };
    private readonly ReplicatorWorker _worker;

    public ReplicatorWorkerTests()
    {
        var options = Options.Create(_options);
        var kafka = new ReplicationKafka(Options.Create(new KafkaOptions()), Options.Create(new TopologyOptions()), options, _health, _time);
        _worker = new ReplicatorWorker(_applier, _deadLetters, kafka, new InMemoryNamespaceCatalog("dcA", "dcB"), _health, options, _time, NullLogger<ReplicatorWorker>.Instance);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HandleAsync_EventApplies_AppliedWithoutDeadLetter()
    {
        Assert.Equal(EventOutcome.Applied, await _worker.HandleAsync(Record(), Ct));

        Assert.Equal(1, _applier.Calls);
        Assert.Empty(_deadLetters.Sent);
        Assert.Equal(1, _health.Applied);
        Assert.Empty(_health.Partitions);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{not json")]
    [InlineData("{\"eventId\":1e400,\"eventType\":\"ADD_PARTITION\",\"message\":\"{}\"}")]
    [InlineData("{\"eventId\":\"one\",\"eventType\":\"ADD_PARTITION\",\"message\":\"{}\"}")]
    [InlineData("{\"eventId\":1,\"eventType\":\"add partition\\u0001\",\"message\":\"{}\"}")]
    [InlineData("{\"eventId\":1,\"eventType\":\"ADD_PARTITION\",\"dbName\":\"sales\",\"tableName\":\"a\\u0000b\",\"message\":\"{}\"}")]
    public async Task HandleAsync_RecordIsNoEnvelope_DeadLetteredAtOnceWithoutApplying(string value)
    {
        Assert.Equal(EventOutcome.DeadLettered, await _worker.HandleAsync(Record(value), Ct));

        Assert.Equal(0, _applier.Calls);
        var (record, reason) = Assert.Single(_deadLetters.Sent);
        Assert.Equal(value, record.Value);
        Assert.False(string.IsNullOrWhiteSpace(reason));
        Assert.Equal(1, _health.DeadLetters);
    }

    [Fact]
    public async Task HandleAsync_OverlongTableName_DeadLetteredNamingTheField()
    {
        var name = new string('e', 300);
        var value = new HmsEventEnvelope(1, 1, HiveEventType.AddPartition, "sales", name, "{}", null).ToJson();

        Assert.Equal(EventOutcome.DeadLettered, await _worker.HandleAsync(Record(value), Ct));
        Assert.Contains("tableName", Assert.Single(_deadLetters.Sent).Reason, StringComparison.Ordinal);
    }

    // issue 16, case 3: the OverflowException out of the worker stopped the host; it is a property of the event
    [Theory]
    [MemberData(nameof(PropertiesOfTheEvent))]
    public async Task HandleAsync_FailureThatIsPropertyOfTheEvent_DeadLetteredAtOnceWithReason(Exception failure)
    {
        _applier.Failures.Enqueue(failure);

        Assert.Equal(EventOutcome.DeadLettered, await _worker.HandleAsync(Record(), Ct));

        Assert.Equal(1, _applier.Calls);
        Assert.Contains(failure.Message, Assert.Single(_deadLetters.Sent).Reason, StringComparison.Ordinal);
        Assert.Equal(Start, _time.GetUtcNow());
    }

    public static TheoryData<Exception> PropertiesOfTheEvent() =>
    [
        new OverflowException("Value was either too large or too small for an Int32."),
        new MalformedEventException("ADD_PARTITION message: partitionListJson holds Number where a Thrift JSON string belongs."),
        new FormatException("bad format"),
        new InvalidCastException("wrong type"),
        new ArgumentOutOfRangeException("count", "out of range"),
        new NullReferenceException("a shape nobody expected"),
        new Unitization.Namespaces.NamespacePathException("path too long"),
    ];

    [Fact]
    public async Task HandleAsync_TransientFailureThenSuccess_RetriedWithBackoffAndApplied()
    {
        _applier.Failures.Enqueue(new IOException("disk busy"));
        _applier.Failures.Enqueue(new TimeoutException("HMS slow"));

        Assert.Equal(EventOutcome.Applied, await _worker.HandleAsync(Record(), Ct));

        Assert.Equal(3, _applier.Calls);
        Assert.Empty(_deadLetters.Sent);
        Assert.Equal(Start + TimeSpan.FromMilliseconds(100 + 200), _time.GetUtcNow());
    }

    [Fact]
    public async Task HandleAsync_TransientFailureThatLasts_ParkedAfterTheRetryLimit()
    {
        _applier.FailAlways = new IOException("namespace dcB is busy");

        Assert.Equal(EventOutcome.DeadLettered, await _worker.HandleAsync(Record(), Ct));

        var waited = _time.GetUtcNow() - Start;
        Assert.InRange(waited, _options.TransientRetryLimit, _options.TransientRetryLimit + _options.MaxBackoff);
        var reason = Assert.Single(_deadLetters.Sent).Reason;
        Assert.Contains("not resolved after", reason, StringComparison.Ordinal);
        Assert.Contains("namespace dcB is busy", reason, StringComparison.Ordinal);
        Assert.True(_applier.Calls > 10);
    }

    [Fact]
    public async Task HandleAsync_RetryLimitConfigured_ParksAfterThatLimit()
    {
        _options.TransientRetryLimit = TimeSpan.FromSeconds(30);
        _applier.FailAlways = new HttpRequestException("rules unavailable");

        Assert.Equal(EventOutcome.DeadLettered, await _worker.HandleAsync(Record(), Ct));

        Assert.InRange(_time.GetUtcNow() - Start, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(40));
    }

    [Fact]
    public async Task HandleAsync_WhileRetrying_HealthShowsTheStalledPartitionWithReasonAndAge()
    {
        _applier.Failures.Enqueue(new IOException("copy failed"));
        var gate = new TaskCompletionSource();
        _applier.BeforeCall = call => call == 2 ? gate.Task : Task.CompletedTask;

        var handling = _worker.HandleAsync(Record(partition: 3, publishedAt: Start - TimeSpan.FromSeconds(5)), Ct);
        await _applier.WaitForCallAsync(2);

        var stalled = Assert.Single(_health.Partitions);
        Assert.Equal((3, 1, "copy failed"), (stalled.Partition, stalled.Attempts, stalled.LastError!.Split(": ")[^1]));
        Assert.True(stalled.IsStalled(_time.GetUtcNow(), _options.StalledAfter));
        Assert.True(stalled.AgeAt(_time.GetUtcNow()) >= TimeSpan.FromSeconds(5));

        gate.SetResult();
        Assert.Equal(EventOutcome.Applied, await handling);
        Assert.Empty(_health.Partitions);
    }

    [Fact]
    public async Task HandleAsync_TableGoneFromHms_SkippedWithoutDeadLetter()
    {
        _applier.Failures.Enqueue(new NoSuchObjectException { Message = "sales.orders table not found" });

        Assert.Equal(EventOutcome.Skipped, await _worker.HandleAsync(Record(), Ct));
        Assert.Empty(_deadLetters.Sent);
    }

    [Fact]
    public async Task HandleAsync_DeadLetterTopicUnavailable_RetriesUntilTheDeadLetterIsKept()
    {
        _deadLetters.FailFirst = 2;
        _applier.Failures.Enqueue(new OverflowException("too large"));

        Assert.Equal(EventOutcome.DeadLettered, await _worker.HandleAsync(Record(), Ct));

        Assert.Equal(3, _deadLetters.Attempts);
        Assert.Single(_deadLetters.Sent);
    }

    [Fact]
    public async Task HandleAsync_Cancelled_ThrowsWithoutDeadLetter()
    {
        using var cts = new CancellationTokenSource();
        _applier.BeforeCall = _ =>
        {
            cts.Cancel();
            return Task.CompletedTask;
        };
        _applier.FailAlways = new OperationCanceledException(cts.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _worker.HandleAsync(Record(), cts.Token));
        Assert.Empty(_deadLetters.Sent);
        Assert.Empty(_health.Partitions);
    }

    private static EventRecord Record(string? value = null, int partition = 0, DateTimeOffset? publishedAt = null) => new(
        "hms-events",
        partition,
        42,
        "sales.orders",
        value ?? HiveEvents.Envelope(HiveEventType.AddPartition, """{"db":"sales","table":"orders"}""").ToJson(),
        publishedAt ?? Start);

    /// <summary>An applier that fails with the queued exceptions (then <see cref="FailAlways"/>, if set), else applies.</summary>
    private sealed class ScriptedApplier : IEventApplier
    {
        private readonly Lock _gate = new();
        private readonly List<(int Call, TaskCompletionSource Reached)> _waiters = [];

        public Queue<Exception> Failures { get; } = new();

        public Exception? FailAlways { get; set; }

        public Func<int, Task> BeforeCall { get; set; } = _ => Task.CompletedTask;

        public int Calls { get; private set; }

        public Task WaitForCallAsync(int call)
        {
            lock (_gate)
            {
                if (Calls >= call)
                {
                    return Task.CompletedTask;
                }

                var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters.Add((call, reached));
                return reached.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
            }
        }

        public async Task<int> ApplyAsync(HmsEventEnvelope envelope, CancellationToken cancellationToken)
        {
            int call;
            lock (_gate)
            {
                call = ++Calls;
                foreach (var waiter in _waiters.Where(w => w.Call <= call).ToList())
                {
                    waiter.Reached.SetResult();
                    _waiters.Remove(waiter);
                }
            }

            await BeforeCall(call);
            if (Failures.TryDequeue(out var failure))
            {
                throw failure;
            }

            return FailAlways is { } always ? throw always : 1;
        }
    }
}
