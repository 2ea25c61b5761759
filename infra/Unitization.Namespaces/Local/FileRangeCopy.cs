using System.Buffers;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Unitization.Namespaces.Local;

/// <summary>
/// Copies a byte range between two open files inside the kernel (Linux <c>copy_file_range(2)</c>, what <c>cp</c> uses):
/// the bytes go from the source's page cache to the target's without a trip through user space. Where the kernel
/// cannot (another OS, files on two file systems before Linux 5.3, a file system without support), the range is
/// copied with positioned reads and writes instead; the result is the same bytes.
/// </summary>
public static partial class FileRangeCopy
{
    private const int ENOSYS = 38;
    private const int EXDEV = 18;
    private const int EINVAL = 22;
    private const int EOPNOTSUPP = 95;
    private const int EINTR = 4;
    private const int BufferSize = 1 << 20;

    /// <summary>
    /// Copies up to <paramref name="count"/> bytes from <paramref name="source"/> at <paramref name="sourceOffset"/> to
    /// <paramref name="destination"/> at <paramref name="destinationOffset"/>; returns the bytes copied, fewer only when
    /// the source ends first. Blocks the calling thread for the copy.
    /// </summary>
    public static long Copy(SafeFileHandle source, long sourceOffset, SafeFileHandle destination, long destinationOffset, long count)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        long copied = 0;
        if (OperatingSystem.IsLinux())
        {
            var input = sourceOffset;
            var output = destinationOffset;
            while (copied < count)
            {
                var n = CopyFileRange(source, ref input, destination, ref output, (nuint)(count - copied), 0);
                if (n > 0)
                {
                    copied += n;
                    continue;
                }

                if (n == 0)
                {
                    return copied;
                }

                var errno = Marshal.GetLastPInvokeError();
                if (errno == EINTR)
                {
                    continue;
                }

                if (errno is ENOSYS or EXDEV or EINVAL or EOPNOTSUPP)
                {
                    break;
                }

                throw new IOException($"copy_file_range failed (errno {errno}) after {copied} of {count} bytes.");
            }
        }

        return copied + CopyThroughBuffer(source, sourceOffset + copied, destination, destinationOffset + copied, count - copied);
    }

    private static long CopyThroughBuffer(SafeFileHandle source, long sourceOffset, SafeFileHandle destination, long destinationOffset, long count)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            long copied = 0;
            while (copied < count)
            {
                var read = RandomAccess.Read(source, buffer.AsSpan(0, (int)Math.Min(BufferSize, count - copied)), sourceOffset + copied);
                if (read == 0)
                {
                    break;
                }

                RandomAccess.Write(destination, buffer.AsSpan(0, read), destinationOffset + copied);
                copied += read;
            }

            return copied;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    [LibraryImport("libc", EntryPoint = "copy_file_range", SetLastError = true)]
    private static partial nint CopyFileRange(SafeFileHandle input, ref long inputOffset, SafeFileHandle output, ref long outputOffset, nuint length, uint flags);
}
