using Microsoft.Extensions.Logging;
using Unitization.Analytics.Traffic;
using Unitization.Throttle.Budget;

namespace Unitization.Router.Gateway;

/// <summary>
/// The degraded path: copies a file from another datacenter to the caller through the link's bandwidth budget at low
/// priority (a grant per chunk before the chunk is sent), then publishes one traffic record with the bytes that crossed.
/// </summary>
internal sealed class CrossDatacenterRead(IBandwidthBudget budget, ITrafficRecorder traffic, TimeProvider time, ILogger<CrossDatacenterRead> logger)
{
    public const string Operation = "webhdfs-open";

    /// <summary>Copies at most <paramref name="length"/> bytes (all when null); returns the bytes copied.</summary>
    public static async Task<long> CopyAsync(Stream source, Stream destination, long? length, byte[] buffer, Func<int, ValueTask>? beforeWrite, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(buffer);
        long copied = 0;
        while (length is null || copied < length)
        {
            var want = length is null ? buffer.Length : (int)Math.Min(buffer.Length, length.Value - copied);
            var read = await source.ReadAsync(buffer.AsMemory(0, want), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            if (beforeWrite is not null)
            {
                await beforeWrite(read).ConfigureAwait(false);
            }

            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            copied += read;
        }

        return copied;
    }

    public async Task<long> CopyAsync(
        Stream source, Stream destination, long? length, byte[] buffer, string sourceDatacenter, string destinationDatacenter, string job, string path, CancellationToken cancellationToken)
    {
        var link = new LinkId(sourceDatacenter, destinationDatacenter);
        long copied = 0;
        try
        {
            copied = await CopyAsync(source, destination, length, buffer, async n =>
            {
                await budget.AcquireAsync(link, TrafficPriority.Low, job, n, cancellationToken).ConfigureAwait(false);
                copied += n;
            }, cancellationToken).ConfigureAwait(false);
            return copied;
        }
        finally
        {
            // bytes granted crossed (or were about to cross) the link even when the caller went away mid-file
            if (copied > 0)
            {
                traffic.Record(new TrafficRecord(Guid.NewGuid().ToString("N"), job, sourceDatacenter, destinationDatacenter, copied, Operation, "router", time.GetUtcNow()));
                RouterLog.CrossDatacenterRead(logger, path, copied, sourceDatacenter, destinationDatacenter, job);
            }
        }
    }
}
