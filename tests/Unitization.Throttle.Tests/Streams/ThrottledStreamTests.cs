using Microsoft.Extensions.Time.Testing;
using Unitization.TestUtils;
using Unitization.Throttle.Budget;
using Unitization.Throttle.Configuration;
using Unitization.Throttle.Streams;

namespace Unitization.Throttle.Tests.Streams;

public sealed class ThrottledStreamTests : IDisposable
{
    private static readonly LinkId Link = new("dcA", "dcB");
    private readonly FakeTimeProvider _time = new();
    private readonly LocalBandwidthBudget _budget;

    public ThrottledStreamTests()
    {
        // 100 kB/s with a 10 kB burst
        _budget = new LocalBandwidthBudget(
            new ThrottleOptions { Links = [new LinkOptions { From = "dcA", To = "dcB", BytesPerSecond = 100_000, BurstBytes = 10_000 }] }, _time);
    }

    [Fact]
    public async Task WriteAsync_MoreThanTheBurst_WaitsForTheBudgetAndWritesEverything()
    {
        var data = Enumerable.Range(0, 50_000).Select(i => (byte)i).ToArray();
        using var sink = new MemoryStream();
        await using var throttled = new ThrottledStream(sink, _budget, Link, TrafficPriority.Normal, "rule", chunkBytes: 10_000, leaveOpen: true);

        var write = throttled.WriteAsync(data, TestContext.Current.CancellationToken).AsTask();
        Assert.False(write.IsCompleted); // 10 kB burst went at once, the next 10 kB needs 100 ms
        var elapsed = await DriveAsync(write);

        Assert.Equal(data, sink.ToArray());
        Assert.Equal(50_000, throttled.BytesTransferred);
        Assert.True(elapsed >= TimeSpan.FromMilliseconds(400), $"40 kB past the burst at 100 kB/s took {elapsed}");
    }

    [Fact]
    public async Task ReadAsync_WholeSource_ReturnsItAllAndPaysForIt()
    {
        var data = Enumerable.Range(0, 30_000).Select(i => (byte)(i * 7)).ToArray();
        await using var throttled = new ThrottledStream(new MemoryStream(data), _budget, Link, TrafficPriority.Low, "reader", chunkBytes: 4096);
        using var copy = new MemoryStream();

        var elapsed = await DriveAsync(throttled.CopyToAsync(copy, TestContext.Current.CancellationToken));

        Assert.Equal(data, copy.ToArray());
        Assert.True(elapsed >= TimeSpan.FromMilliseconds(190), $"20 kB past the burst at 100 kB/s took {elapsed}");
        Assert.Equal(30_000, _budget.Snapshot().Single().Tenants.Single(t => t.Tenant == "reader").GrantedBytes);
    }

    [Fact]
    public async Task WriteAsync_Cancelled_ThrowsAndStopsWriting()
    {
        using var sink = new MemoryStream();
        await using var throttled = new ThrottledStream(sink, _budget, Link, TrafficPriority.Normal, "rule", chunkBytes: 10_000, leaveOpen: true);
        using var cancel = new CancellationTokenSource();

        var write = throttled.WriteAsync(new byte[100_000], cancel.Token).AsTask();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => write);
        Assert.Equal(10_000, sink.Length);
    }

    [Fact]
    public void Read_Synchronous_IsRefusedWithAMessage()
    {
        using var throttled = new ThrottledStream(new MemoryStream(new byte[10]), _budget, Link, TrafficPriority.Normal, "rule");

        var error = Assert.Throws<NotSupportedException>(() => throttled.ReadExactly(new byte[10]));
        Assert.Contains("ReadAsync", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _budget.Dispose();

    private Task<TimeSpan> DriveAsync(Task task) => _time.DriveAsync(task, TimeSpan.FromMilliseconds(1));
}
