using System.Runtime.InteropServices;

namespace Unitization.Namespaces.Local;

/// <summary>
/// Linux's <c>renameat2(..., RENAME_EXCHANGE)</c>: two existing paths (files or directories, on one file system) swap
/// in one kernel step, so a path being replaced never stops existing. glibc has the wrapper since 2.28. Where the
/// kernel, the file system or the platform cannot do it, <see cref="Exchange"/> throws
/// <see cref="NotSupportedException"/>; nothing emulates it with two renames. Also <see cref="InodeOf"/> (statx), with
/// which the namespace tells whether a logged exchange already happened.
/// </summary>
internal static partial class AtomicExchange
{
    private const uint RenameExchange = 2;
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxIno = 0x100;
    private const int StatxSize = 256;
    private const int StatxInoOffset = 32;
    private const int ENOENT = 2;
    private const int EINVAL = 22;
    private const int ENOSYS = 38;

    /// <summary>Swaps <paramref name="first"/> and <paramref name="second"/> (both must exist).</summary>
    public static void Exchange(string first, string second)
    {
        RequireLinux();
        int result;
        try
        {
            result = Renameat2(AtFdCwd, first, AtFdCwd, second, RenameExchange);
        }
        catch (EntryPointNotFoundException ex)
        {
            throw new NotSupportedException("This C library has no renameat2 (glibc 2.28 or later is needed to exchange two paths atomically).", ex);
        }

        if (result == 0)
        {
            return;
        }

        var errno = Marshal.GetLastPInvokeError();
        throw errno switch
        {
            ENOSYS or EINVAL => new NotSupportedException(
                $"The kernel or the file system of '{first}' cannot exchange two paths atomically (renameat2 RENAME_EXCHANGE: errno {errno}, {Marshal.GetPInvokeErrorMessage(errno)})."),
            ENOENT => new FileNotFoundException($"Cannot exchange '{first}' and '{second}': one of them does not exist."),
            _ => new IOException($"Exchanging '{first}' and '{second}' failed (errno {errno}, {Marshal.GetPInvokeErrorMessage(errno)})."),
        };
    }

    /// <summary>The inode number of a path (not following a final symbolic link); null when nothing is there.</summary>
    public static ulong? InodeOf(string path)
    {
        RequireLinux();
        Span<byte> buffer = stackalloc byte[StatxSize];
        int result;
        try
        {
            result = Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxIno, ref MemoryMarshal.GetReference(buffer));
        }
        catch (EntryPointNotFoundException ex)
        {
            throw new NotSupportedException("This C library has no statx (glibc 2.28 or later).", ex);
        }

        if (result == 0)
        {
            return MemoryMarshal.Read<ulong>(buffer[StatxInoOffset..]);
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno == ENOENT ? null : throw new IOException($"statx of '{path}' failed (errno {errno}, {Marshal.GetPInvokeErrorMessage(errno)}).");
    }

    /// <summary>
    /// Whether exchange works in <paramref name="scratchFolder"/>'s file system: swaps two empty folders made there for
    /// the test (and removes them). Throws <see cref="NotSupportedException"/> with the reason when it does not.
    /// </summary>
    public static void Probe(string scratchFolder)
    {
        var first = Path.Join(scratchFolder, "exchange-probe-" + Guid.NewGuid().ToString("N"));
        var second = first + "-b";
        Directory.CreateDirectory(first);
        try
        {
            Directory.CreateDirectory(second);
            File.WriteAllBytes(Path.Join(first, "a"), []);
            Exchange(first, second);
            if (!File.Exists(Path.Join(second, "a")))
            {
                throw new NotSupportedException($"renameat2 RENAME_EXCHANGE reported success in '{scratchFolder}' but did not swap the paths.");
            }
        }
        finally
        {
            Directory.Delete(first, recursive: true);
            if (Directory.Exists(second))
            {
                Directory.Delete(second, recursive: true);
            }
        }
    }

    private static void RequireLinux()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("Exchanging two paths atomically needs Linux's renameat2 (RENAME_EXCHANGE); this platform has no equivalent in use here.");
        }
    }

    [LibraryImport("libc", EntryPoint = "renameat2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Renameat2(int oldDirectory, string oldPath, int newDirectory, string newPath, uint flags);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directory, string path, int flags, uint mask, ref byte buffer);
}
