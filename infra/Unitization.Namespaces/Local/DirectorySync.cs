using System.Runtime.InteropServices;

namespace Unitization.Namespaces.Local;

/// <summary>
/// fsync of a directory, so a rename or a new entry in it survives power loss (POSIX leaves that to the directory's own
/// fsync). .NET cannot open a directory as a file, so this calls libc; on Windows, NTFS journals the metadata and
/// there is nothing to do.
/// </summary>
internal static partial class DirectorySync
{
    public static void Flush(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var fd = Open(directory, 0 /* O_RDONLY */);
        if (fd < 0)
        {
            throw new IOException($"Cannot open directory '{directory}' to fsync it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"fsync of directory '{directory}' failed (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>Makes files durable: an fsync of each, several at once, then of each directory holding them.</summary>
    public static async Task FlushFilesAsync(IReadOnlyList<string> files, CancellationToken cancellationToken)
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(
            files,
            options,
            (file, _) =>
            {
                using var handle = File.OpenHandle(file, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
                RandomAccess.FlushToDisk(handle);
                return ValueTask.CompletedTask;
            }).ConfigureAwait(false);

        // the entries deferred Creates renamed into these directories
        await Parallel.ForEachAsync(
            files.Select(Path.GetDirectoryName).Distinct(StringComparer.Ordinal),
            options,
            (directory, _) =>
            {
                Flush(directory!);
                return ValueTask.CompletedTask;
            }).ConfigureAwait(false);
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
