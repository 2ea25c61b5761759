using Microsoft.Extensions.Time.Testing;
using Unitization.DataManager.Readiness;

namespace Unitization.DataManager.Tests.Readiness;

public sealed class FreshnessSignalTests
{
    [Fact]
    public async Task WaitAsync_NotifiedBetweenCheckAndWait_CompletesWithoutTimeout()
    {
        var signal = new FreshnessSignal();
        var time = new FakeTimeProvider();
        var change = signal.NextChange; // taken before the readiness check
        signal.Notify();                // lands while the waiter is still checking

        var wait = FreshnessSignal.WaitAsync(change, TimeSpan.FromMinutes(5), time, TestContext.Current.CancellationToken);

        // fake time never advances here, so only the notification can complete the wait; the deadline only guards a hang
        await wait.WaitAsync(TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task WaitAsync_NoNotify_CompletesAtTimeout()
    {
        var signal = new FreshnessSignal();
        var time = new FakeTimeProvider();
        var wait = FreshnessSignal.WaitAsync(signal.NextChange, TimeSpan.FromSeconds(2), time, TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(wait.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        await wait;
    }
}
