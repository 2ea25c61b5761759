using System.Runtime.InteropServices;
using System.Text;

namespace Unitization.Namespaces.Local;

/// <summary>
/// What the file system under a namespace's root can hold: NAME_MAX bytes per component and PATH_MAX bytes for a whole
/// path (with its terminating NUL), as <c>pathconf(3)</c> reports them for the data folder (Linux; elsewhere 255 and
/// 1024). A mutation whose on-disk path would not fit is refused before its edit is logged, so the log never holds an
/// edit the disk cannot apply.
/// </summary>
internal sealed partial class OsPathLimits
{
    private const int PcNameMax = 3;
    private const int PcPathMax = 4;

    private OsPathLimits(int nameMax, int pathMax)
    {
        NameMax = nameMax;
        PathMax = pathMax;
    }

    /// <summary>Longest component, in bytes (UTF-8 on Linux).</summary>
    public int NameMax { get; }

    /// <summary>PATH_MAX: a path's bytes plus its terminating NUL must fit, so the longest path is one byte less.</summary>
    public int PathMax { get; }

    public static OsPathLimits For(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return new OsPathLimits(255, 1024);
        }

        var name = Pathconf(directory, PcNameMax);
        var path = Pathconf(directory, PcPathMax);
        return new OsPathLimits(name is > 0 and < int.MaxValue ? (int)name : 255, path is > 0 and < int.MaxValue ? (int)path : 4096);
    }

    /// <summary>
    /// Refuses a path one of whose components, or whose on-disk form under <paramref name="files"/> (plus
    /// <paramref name="deepestSuffixBytes"/> for the longest path below it that moves along), is longer than the file
    /// system takes.
    /// </summary>
    public void Require(string name, string files, string normalized, string original, int deepestSuffixBytes = 0)
    {
        foreach (var component in normalized.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var bytes = Encoding.UTF8.GetByteCount(component);
            if (bytes > NameMax)
            {
                throw new NamespacePathException(
                    $"{name}: the name '{Shorten(component)}' is {bytes} bytes in UTF-8, more than the {NameMax} bytes a name may take on this file system (NAME_MAX)", Shorten(original));
            }
        }

        var folder = Encoding.UTF8.GetByteCount(files);
        var total = folder + Encoding.UTF8.GetByteCount(normalized) + deepestSuffixBytes;
        if (total >= PathMax)
        {
            var below = deepestSuffixBytes > 0 ? $", with the {deepestSuffixBytes} bytes of the longest path below it that moves along" : string.Empty;
            throw new NamespacePathException(
                $"{name}: the path would take {total} bytes on disk ({folder} of them the namespace's folder '{files}'{below}); " +
                $"the file system takes at most {PathMax - 1} (PATH_MAX {PathMax})", Shorten(original));
        }
    }

    private static string Shorten(string text) => text.Length <= 96 ? text : text[..48] + "..." + text[^40..];

    [LibraryImport("libc", EntryPoint = "pathconf", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint Pathconf(string path, int name);
}
