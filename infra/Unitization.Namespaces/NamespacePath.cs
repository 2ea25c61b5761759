namespace Unitization.Namespaces;

/// <summary>
/// Namespace paths: absolute, '/'-separated, no empty, '.' or '..' components once normalized
/// (<c>//a/./b/</c> becomes <c>/a/b</c>). The rules follow HDFS's valid names: no ':' in a component, no NUL or control
/// character, at most <see cref="MaxComponentBytes"/> bytes of UTF-8 per component, no name HDFS reserves
/// (<c>/.reserved</c>, <c>.snapshot</c>). <see cref="InternalRoot"/> holds Unitization's own staging and trash: users
/// never see or touch it (<see cref="RequireUserPath"/>, <see cref="IsInternal"/>).
/// </summary>
public static class NamespacePath
{
    /// <summary>The root of every namespace.</summary>
    public const string Root = "/";

    /// <summary>Longest accepted path, in characters (HDFS's <c>MAX_PATH_LENGTH</c>); a local namespace also checks the on-disk length.</summary>
    public const int MaxLength = 8000;

    /// <summary>Longest accepted component, in bytes of UTF-8 (HDFS's default <c>dfs.namenode.fs-limits.max-component-length</c>, and NAME_MAX).</summary>
    public const int MaxComponentBytes = 255;

    /// <summary>Where Unitization keeps its staging, trash and work folders in every namespace; never a user's path.</summary>
    public const string InternalRoot = "/.unitization";

    /// <summary>Normalizes a path, or throws <see cref="NamespacePathException"/> saying what is wrong with it.</summary>
    public static string Normalize(string? path)
    {
        if (path is null || path.Length == 0)
        {
            throw new NamespacePathException("A path is required", path ?? string.Empty);
        }

        if (path.Length > MaxLength)
        {
            throw new NamespacePathException($"The path is {path.Length} characters, longer than the {MaxLength} a path may take", Shorten(path));
        }

        for (var i = 0; i < path.Length; i++)
        {
            var c = path[i];
            if (c == '\0')
            {
                throw new NamespacePathException($"The path contains a NUL character at position {i}", path.Replace("\0", "\\0", StringComparison.Ordinal));
            }

            if (c == '\\')
            {
                throw new NamespacePathException($"The path contains a backslash at position {i}; namespace paths are separated by '/'", path);
            }

            if (c == ':')
            {
                throw new NamespacePathException($"The path contains ':' at position {i}; drive letters, URI schemes and ':' in names are not allowed", path);
            }

            if (char.IsControl(c))
            {
                throw new NamespacePathException($"The path contains the control character U+{(int)c:X4} at position {i}", path);
            }
        }

        if (path[0] != '/')
        {
            throw new NamespacePathException("The path must be absolute (start with '/')", path);
        }

        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            switch (part)
            {
                case "":
                case ".":
                    continue;
                case "..":
                    if (parts.Count == 0)
                    {
                        throw new NamespacePathException("'..' would leave the namespace root", path);
                    }

                    parts.RemoveAt(parts.Count - 1);
                    continue;
                default:
                    var bytes = System.Text.Encoding.UTF8.GetByteCount(part);
                    if (bytes > MaxComponentBytes)
                    {
                        throw new NamespacePathException($"The name '{part[..32]}...' is {bytes} bytes in UTF-8, more than the {MaxComponentBytes} a name may take", Shorten(path));
                    }

                    if (part == ".snapshot" || (part == ".reserved" && parts.Count == 0))
                    {
                        throw new NamespacePathException($"'{part}' is a name HDFS reserves{(part == ".reserved" ? " at the root" : string.Empty)}", path);
                    }

                    parts.Add(part);
                    continue;
            }
        }

        return parts.Count == 0 ? Root : "/" + string.Join('/', parts);
    }

    /// <summary>
    /// Normalizes the two sides of an exchange, refusing the root (<see cref="NamespacePathException"/>) and two paths of
    /// which one is, or is inside, the other (<see cref="IOException"/>): an exchange swaps two separate paths.
    /// </summary>
    internal static (string First, string Second) NormalizeExchange(string namespaceName, string first, string second)
    {
        var a = Normalize(first);
        var b = Normalize(second);
        if (a == Root || b == Root)
        {
            throw new NamespacePathException("The namespace root cannot be exchanged", a == Root ? first : second);
        }

        return IsSameOrUnder(a, b) || IsSameOrUnder(b, a)
            ? throw new IOException($"{namespaceName}:{a} and {namespaceName}:{b} are the same path or one is inside the other; an exchange swaps two separate paths.")
            : (a, b);
    }

    /// <summary>Whether a normalized path is <see cref="InternalRoot"/> or lies under it.</summary>
    public static bool IsInternal(string normalized) => normalized != Root && IsSameOrUnder(normalized, InternalRoot);

    /// <summary>
    /// Normalizes a path a user gave (the <c>fs</c> verbs, the WebHDFS gateway, resolve), refusing Unitization's internal
    /// folder: a user never sees, reads or writes staging.
    /// </summary>
    public static string RequireUserPath(string? path)
    {
        var normalized = Normalize(path);
        return IsInternal(normalized)
            ? throw new NamespacePathException($"{InternalRoot} is reserved for Unitization's staging and work folders; it is not a user's path", normalized)
            : normalized;
    }

    /// <summary>The parent of a normalized path (<c>/a/b</c> → <c>/a</c>); null for the root.</summary>
    public static string? Parent(string normalized)
    {
        ArgumentNullException.ThrowIfNull(normalized);
        if (normalized == Root)
        {
            return null;
        }

        var slash = normalized.LastIndexOf('/');
        return slash == 0 ? Root : normalized[..slash];
    }

    /// <summary>The last component of a normalized path; empty for the root.</summary>
    public static string Name(string normalized)
    {
        ArgumentNullException.ThrowIfNull(normalized);
        return normalized[(normalized.LastIndexOf('/') + 1)..];
    }

    /// <summary>Joins a normalized directory path and a child name.</summary>
    public static string Child(string normalized, string name) => normalized == Root ? "/" + name : normalized + "/" + name;

    /// <summary>Whether <paramref name="path"/> is <paramref name="ancestor"/> or lies under it (both normalized).</summary>
    public static bool IsSameOrUnder(string path, string ancestor)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(ancestor);
        return ancestor == Root
            || string.Equals(path, ancestor, StringComparison.Ordinal)
            || (path.StartsWith(ancestor, StringComparison.Ordinal) && path.Length > ancestor.Length && path[ancestor.Length] == '/');
    }

    private static string Shorten(string text) => text.Length <= 96 ? text : text[..48] + "..." + text[^40..];

    /// <summary>The ancestors of a normalized path, nearest first, ending with the root (the path itself excluded).</summary>
    public static IEnumerable<string> Ancestors(string normalized)
    {
        for (var p = Parent(normalized); p is not null; p = Parent(p))
        {
            yield return p;
        }
    }
}
