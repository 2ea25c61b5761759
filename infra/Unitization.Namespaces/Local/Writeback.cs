using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Unitization.Namespaces.Local;

/// <summary>
/// Starts writing a file's dirty pages to disk without waiting for them (Linux <c>sync_file_range(2)</c> with
/// <c>SYNC_FILE_RANGE_WRITE</c>), so the disk works while the writer goes on copying and a later fsync has little left
/// to wait for. It makes nothing durable by itself (no metadata, no cache flush): only fsync does. Elsewhere a no-op.
/// </summary>
public static partial class Writeback
{
    private const uint SyncFileRangeWrite = 2;

    /// <summary>Starts the writeback of <paramref name="count"/> bytes at <paramref name="offset"/>; errors are ignored (the fsync that follows reports them).</summary>
    public static void Start(SafeFileHandle file, long offset, long count)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (OperatingSystem.IsLinux() && count > 0)
        {
            _ = SyncFileRange(file, offset, count, SyncFileRangeWrite);
        }
    }

    [LibraryImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    private static partial int SyncFileRange(SafeFileHandle file, long offset, long count, uint flags);
}
