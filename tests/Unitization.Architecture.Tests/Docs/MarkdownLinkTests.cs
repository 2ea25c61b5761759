using System.Text.RegularExpressions;

namespace Unitization.Architecture.Tests.Docs;

/// <summary>
/// Every relative link of every Markdown file in the repository resolves to a file or folder inside it (web links and
/// in-page anchors are not followed; code blocks and code spans are not links).
/// </summary>
public sealed partial class MarkdownLinkTests
{
    [Fact]
    public void MarkdownFiles_RelativeLinks_ResolveInsideTheRepository()
    {
        var broken = new List<string>();
        var files = MarkdownFiles().ToList();
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            foreach (var (line, target) in RelativeLinks(File.ReadAllLines(file)))
            {
                var path = target.Split('#')[0];
                if (path.Length == 0)
                {
                    continue;
                }

                var resolved = Path.GetFullPath(path.StartsWith('/')
                    ? Path.Combine(RepositoryLayout.Root, path.TrimStart('/'))
                    : Path.Combine(Path.GetDirectoryName(file)!, Uri.UnescapeDataString(path)));
                var where = $"{Path.GetRelativePath(RepositoryLayout.Root, file)}:{line}: {target}";
                if (!resolved.StartsWith(RepositoryLayout.Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                {
                    broken.Add(where + " points outside the repository");
                }
                else if (!File.Exists(resolved) && !Directory.Exists(resolved))
                {
                    broken.Add(where + " does not exist");
                }
            }
        }

        Assert.True(broken.Count == 0, "Broken Markdown links:\n" + string.Join('\n', broken));
    }

    [Fact]
    public void RelativeLinks_CodeAndWebLinks_AreSkipped()
    {
        string[] lines =
        [
            "See [the doc](docs/a.md#top) and [site](https://example.org) and [mail](mailto:x@y) and [here](#anchor).",
            "`[not](a-link.md)` but [this](b.md \"title\")",
            "```",
            "[inside](code.md)",
            "```",
            "![picture](img/p.png)",
        ];

        Assert.Equal([(1, "docs/a.md#top"), (2, "b.md"), (6, "img/p.png")], RelativeLinks(lines).ToList());
    }

    /// <summary>Markdown files of the repository, build output and local run folders left out.</summary>
    private static IEnumerable<string> MarkdownFiles() => Directory
        .EnumerateFiles(RepositoryLayout.Root, "*.md", SearchOption.AllDirectories)
        .Where(f => !RepositoryLayout.IsBuildOutput(f))
        .Where(f => !Path.GetRelativePath(RepositoryLayout.Root, f).Split(Path.DirectorySeparatorChar)
            .Any(part => part is ".git" or ".run" or "node_modules" or "TestResults"));

    /// <summary>The line number and target of each inline link or image whose target is not a web address or anchor.</summary>
    internal static IEnumerable<(int Line, string Target)> RelativeLinks(IReadOnlyList<string> lines)
    {
        var fenced = false;
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                fenced = !fenced;
                continue;
            }

            if (fenced)
            {
                continue;
            }

            var text = CodeSpan().Replace(lines[i], string.Empty);
            foreach (Match m in Link().Matches(text))
            {
                var target = m.Groups["target"].Value;
                if (target.StartsWith('#') || Scheme().IsMatch(target))
                {
                    continue;
                }

                yield return (i + 1, target);
            }
        }
    }

    [GeneratedRegex(@"`[^`]*`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)(\s+""[^""]*"")?\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"^[a-zA-Z][a-zA-Z0-9+.-]*:")]
    private static partial Regex Scheme();
}
