using Unitization.Throttle.Budget;
using Unitization.Throttle.Configuration;
using Unitization.Throttle.Streams;

namespace Unitization.Benchmarks.Bench.Throttle;

/// <summary>
/// A run on the real clock: several <see cref="ThrottledStream"/>s write as fast as they can into
/// <see cref="Stream.Null"/> through one link budget; the delivered rate is measured against the configured one.
/// </summary>
internal static class RealTimeRun
{
    public static async Task<(double DeliveredBytesPerSecond, long[] PerStream)> RunAsync(
        double bytesPerSecond, int streams, TimeSpan duration, CancellationToken cancellationToken)
    {
        var link = new LinkId("dcA", "dcB");
        var options = new ThrottleOptions { Links = [new LinkOptions { From = link.From, To = link.To, BytesPerSecond = bytesPerSecond }] };
        using var budget = new LocalBandwidthBudget(options, TimeProvider.System);
        var buffer = new byte[ThrottledStream.DefaultChunkBytes];
        var counts = new long[streams];

        // spend the initial burst first so the figure is the sustained rate
        var burst = (long)options.Links[0].EffectiveBurst();
        await budget.AcquireAsync(link, TrafficPriority.Normal, "warm-up", burst, cancellationToken).ConfigureAwait(false);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var start = TimeProvider.System.GetTimestamp();
        stop.CancelAfter(duration);
        var writers = Enumerable.Range(0, streams).Select(i => Task.Run(
            async () =>
            {
                await using var stream = new ThrottledStream(Stream.Null, budget, link, TrafficPriority.Normal, $"stream-{i}");
                try
                {
                    while (true)
                    {
                        await stream.WriteAsync(buffer, stop.Token).ConfigureAwait(false);
                        counts[i] = stream.BytesTransferred;
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    counts[i] = stream.BytesTransferred;
                }
            },
            CancellationToken.None)).ToArray();
        await Task.WhenAll(writers).ConfigureAwait(false);
        var elapsed = TimeProvider.System.GetElapsedTime(start);
        cancellationToken.ThrowIfCancellationRequested();
        return (counts.Sum() / elapsed.TotalSeconds, counts);
    }
}
