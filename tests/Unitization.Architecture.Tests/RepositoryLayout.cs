using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Unitization.Architecture.Tests;

/// <summary>The repository as files: its root, its product projects and their sources.</summary>
internal static partial class RepositoryLayout
{
    public static string Root { get; } = FindRoot();

    /// <summary>Every project outside tests/: the product and its composition root.</summary>
    public static IReadOnlyList<ProductProject> ProductProjects { get; } = Directory
        .EnumerateFiles(Root, "*.csproj", SearchOption.AllDirectories)
        .Where(p => !IsBuildOutput(p) && !Path.GetRelativePath(Root, p).StartsWith("tests", StringComparison.Ordinal))
        .Select(p => new ProductProject(p))
        .ToList();

    public static bool IsBuildOutput(string path) =>
        path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
        || path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
        || path.Contains($"{Path.DirectorySeparatorChar}artifacts{Path.DirectorySeparatorChar}", StringComparison.Ordinal);

    public static IEnumerable<string> ProjectReferences(string csproj) =>
        XDocument.Load(csproj).Descendants("ProjectReference")
            .Select(r => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(csproj)!, r.Attribute("Include")!.Value.Replace('\\', '/'))));

    /// <summary>The projects <paramref name="csproj"/> builds, itself included.</summary>
    public static ISet<string> Closure(string csproj)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>([Path.GetFullPath(csproj)]);
        while (stack.TryPop(out var next))
        {
            if (seen.Add(next))
            {
                foreach (var reference in ProjectReferences(next))
                {
                    stack.Push(reference);
                }
            }
        }

        return seen;
    }

    public static IEnumerable<string> TypeNames(string source) =>
        TypeDeclaration().Matches(source).Select(m => m.Groups["name"].Value);

    public static IEnumerable<string> Namespaces(string source) =>
        NamespaceDeclaration().Matches(source).Select(m => m.Groups["name"].Value);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Unitization.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Unitization.sln above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex(@"\b(?:class|record|interface|struct|enum)\s+(?<name>[A-Z]\w*)")]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex(@"^namespace\s+(?<name>[\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex NamespaceDeclaration();
}
