using Unitization.Analytics.Ingest;

namespace Unitization.Analytics.Tests.Ingest;

public sealed class InOrderWindowTests
{
    [Fact]
    public async Task AddAsync_LaterWorkFinishesFirst_ItemsHandedOnInTheOrderStarted()
    {
        var handed = new List<int>();
        var window = new InOrderWindow<int>(3, handed.Add);
        var (first, second, third) = (new TaskCompletionSource(), new TaskCompletionSource(), new TaskCompletionSource());

        await window.AddAsync(1, first.Task);
        await window.AddAsync(2, second.Task);
        second.SetResult();
        third.SetResult();
        var adding = window.AddAsync(3, third.Task); // the limit: waits for the oldest
        Assert.False(adding.IsCompleted);
        Assert.Empty(handed);

        first.SetResult();
        await adding;
        Assert.Equal([1, 2, 3], handed);
        Assert.Equal(0, window.Count);
    }

    [Fact]
    public async Task AddAsync_NeverMoreThanTheLimitRunning()
    {
        var running = 0;
        var most = 0;
        var window = new InOrderWindow<int>(2, _ => { });
        for (var i = 0; i < 20; i++)
        {
            await window.AddAsync(i, Work());
        }

        await window.DrainAsync();
        Assert.Equal(2, most);

        async Task Work()
        {
            most = Math.Max(most, Interlocked.Increment(ref running));
            await Task.Delay(5, TestContext.Current.CancellationToken);
            Interlocked.Decrement(ref running);
        }
    }

    [Fact]
    public async Task DrainAsync_OneFails_WaitsForTheRestAndHandsOnNothingFromTheFailureOn()
    {
        var handed = new List<int>();
        var window = new InOrderWindow<int>(4, handed.Add);
        var (oldest, slow) = (new TaskCompletionSource(), new TaskCompletionSource());
        await window.AddAsync(1, oldest.Task);
        await window.AddAsync(2, Task.FromException(new IOException("disk full")));
        await window.AddAsync(3, slow.Task);
        Assert.Equal(3, window.Count);

        oldest.SetResult();
        var draining = window.DrainAsync();
        await Task.Delay(20, TestContext.Current.CancellationToken);
        Assert.False(draining.IsCompleted); // the third still runs: nothing may keep running behind the caller's back
        slow.SetResult();

        var e = await Assert.ThrowsAsync<IOException>(() => draining);
        Assert.Equal("disk full", e.Message);
        Assert.Equal([1], handed);
        Assert.Equal(0, window.Count);
    }
}
