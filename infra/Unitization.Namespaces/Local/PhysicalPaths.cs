namespace Unitization.Namespaces.Local;

/// <summary>
/// Where a namespace path lives on disk: under <c>root/files/</c>, reached without following a symbolic link (a link
/// could lead out of the root). Also the checks every mutation makes against what is on disk.
/// </summary>
internal sealed class PhysicalPaths(string name, string files)
{
    private readonly OsPathLimits _limits = OsPathLimits.For(files);

    /// <summary>The data folder, <c>root/files</c>.</summary>
    public string Files { get; } = files;

    public static bool Exists(string physical) => File.Exists(physical) || Directory.Exists(physical);

    /// <summary>
    /// The on-disk path of a normalized namespace path, refusing symbolic links anywhere on the way. Components past
    /// the first missing one cannot be links.
    /// </summary>
    public string Resolve(string normalized, string original)
    {
        if (normalized == NamespacePath.Root)
        {
            return Files;
        }

        var current = Files;
        var checking = true;
        var prefix = string.Empty;
        foreach (var part in normalized[1..].Split('/'))
        {
            current = Path.Join(current, part);
            prefix += "/" + part;
            if (!checking)
            {
                continue;
            }

            var attributes = new FileInfo(current).Attributes;
            if ((int)attributes == -1)
            {
                checking = false;
            }
            else if (attributes.HasFlag(FileAttributes.ReparsePoint))
            {
                throw new NamespacePathException($"{name}:{prefix} is a symbolic link; links are refused because they can lead outside the namespace", original);
            }
        }

        return current;
    }

    /// <summary>The on-disk path of a normalized path already checked (or logged), without looking at the disk.</summary>
    public string Unchecked(string normalized) =>
        normalized == NamespacePath.Root ? Files : Path.Join(Files, normalized[1..]);

    /// <summary>Refuses a path below a file: a file has no children.</summary>
    public void RequireNoFileAncestor(string normalized)
    {
        foreach (var ancestor in NamespacePath.Ancestors(normalized))
        {
            if (ancestor != NamespacePath.Root && File.Exists(Unchecked(ancestor)))
            {
                throw new IOException($"{name}:{ancestor} is a file, so {normalized} cannot be created under it.");
            }
        }
    }

    /// <summary>
    /// Refuses, before anything is logged, a path the file system cannot hold (<see cref="OsPathLimits"/>);
    /// <paramref name="deepestSuffixBytes"/>: the longest path below it that a rename or exchange moves along.
    /// </summary>
    public void RequireFits(string normalized, string original, int deepestSuffixBytes = 0) =>
        _limits.Require(name, Files, normalized, original, deepestSuffixBytes);

    public FileNotFoundException NotFound(string normalized) => new($"{name}:{normalized} does not exist.");
}
