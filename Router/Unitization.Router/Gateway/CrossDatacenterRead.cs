using Microsoft.Extensions.Logging;
using Unitization.Analytics.Traffic;
using Unitization.Throttle.Budget;
using Unitization.Throttle.Streams;

namespace Unitization.Router.Gateway;

/// <summary>
/// The degraded path: sends a file from another datacenter to the caller through the link's bandwidth budget at low
/// priority (each chunk is granted before it is written), then publishes one traffic record with the bytes that crossed.
/// Without a traffic recorder registered (no Analytics client in the process) the read is still throttled and logged.
/// </summary>
internal sealed class CrossDatacenterRead(IBandwidthBudget budget, ITrafficRecorder? traffic, TimeProvider time, ILogger<CrossDatacenterRead> logger)
{
    public const string Operation = "webhdfs-open";

    public bool Records => traffic is not null;

    /// <summary>Copies at most <paramref name="length"/> bytes (all when null); returns the bytes copied.</summary>
    public static async Task<long> CopyAsync(Stream source, Stream destination, long? length, byte[] buffer, CancellationToken cancellationToken)
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

            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            copied += read;
        }

        return copied;
    }

    public async Task<long> CopyAsync(
        Stream source, Stream destination, long? length, byte[] buffer, string sourceDatacenter, string destinationDatacenter, string job, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        var throttled = new ThrottledStream(destination, budget, new LinkId(sourceDatacenter, destinationDatacenter), TrafficPriority.Low, job, buffer.Length, leaveOpen: true);
        await using (throttled.ConfigureAwait(false))
        {
            try
            {
                return await CopyAsync(source, throttled, length, buffer, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                // what was granted crossed the link, even when the caller went away mid-file
                var crossed = throttled.BytesTransferred;
                if (crossed > 0)
                {
                    traffic?.Record(new TrafficRecord(Guid.NewGuid().ToString("N"), job, sourceDatacenter, destinationDatacenter, crossed, Operation, "router", time.GetUtcNow()));
                    RouterLog.CrossDatacenterRead(logger, path, crossed, sourceDatacenter, destinationDatacenter, job);
                }
            }
        }
    }
}
