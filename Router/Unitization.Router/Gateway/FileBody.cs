using System.IO.Pipelines;
using Microsoft.Win32.SafeHandles;

namespace Unitization.Router.Gateway;

/// <summary>
/// Sends a range of a local file as a response body: positional reads (no seek, no skip) straight into the memory
/// the response's <see cref="PipeWriter"/> hands out, so the bytes are copied once, from the page cache into the
/// socket's buffer, with no intermediate array and no allocation per chunk.
/// </summary>
internal static class FileBody
{
    /// <summary>Sends <paramref name="count"/> bytes from <paramref name="offset"/>; returns the bytes sent (fewer when the file shrank).</summary>
    public static async Task<long> SendAsync(SafeFileHandle file, long offset, long count, PipeWriter body, int chunkBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(body);
        long sent = 0;
        while (sent < count)
        {
            var memory = body.GetMemory((int)Math.Min(chunkBytes, count - sent));
            var want = (int)Math.Min(memory.Length, count - sent);
            var read = await RandomAccess.ReadAsync(file, memory[..want], offset + sent, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            body.Advance(read);
            sent += read;
            var flushed = await body.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (flushed.IsCanceled || flushed.IsCompleted)
            {
                break;
            }
        }

        return sent;
    }
}
