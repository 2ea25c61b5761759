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
    private const uint SyncFileRangeWaitBefore = 1;
    private const uint SyncFileRangeWrite = 2;
    private const uint SyncFileRangeWaitAfter = 4;
    private const int PosixFadviseDontNeed = 4;

    /// <summary>Starts the writeback of <paramref name="count"/> bytes at <paramref name="offset"/>; errors are ignored (the fsync that follows reports them).</summary>
    public static void Start(SafeFileHandle file, long offset, long count)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (OperatingSystem.IsLinux() && count > 0)
        {
            _ = SyncFileRange(file, offset, count, SyncFileRangeWrite);
        }
    }

    /// <summary>
    /// Writes <paramref name="count"/> bytes at <paramref name="offset"/> to disk and waits for them, then drops their
    /// pages from the page cache (<c>posix_fadvise(POSIX_FADV_DONTNEED)</c>), as an HDFS datanode does with
    /// <c>dfs.datanode.drop.cache.behind.writes</c>: a copy of gigabytes then keeps the page cache for what readers use
    /// instead of filling it with clean pages that the kernel must reclaim, in the writer's own time, once memory runs
    /// short. Like <see cref="Start"/> it makes nothing durable (no metadata, no cache flush); errors are ignored (the
    /// fsync that follows reports them).
    /// </summary>
    public static void DropBehind(SafeFileHandle file, long offset, long count)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (OperatingSystem.IsLinux() && count > 0)
        {
            _ = SyncFileRange(file, offset, count, SyncFileRangeWaitBefore | SyncFileRangeWrite | SyncFileRangeWaitAfter);
            _ = PosixFadvise(file, offset, count, PosixFadviseDontNeed);
        }
    }

    [LibraryImport("libc", EntryPoint = "posix_fadvise")]
    private static partial int PosixFadvise(SafeFileHandle file, long offset, long count, int advice);

    [LibraryImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    private static partial int SyncFileRange(SafeFileHandle file, long offset, long count, uint flags);
}
