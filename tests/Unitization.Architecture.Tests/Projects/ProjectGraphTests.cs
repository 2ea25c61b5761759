using System.Text.RegularExpressions;

namespace Unitization.Architecture.Tests.Projects;

/// <summary>
/// The project graph is a fan: components share contracts through small contract projects, and no product project
/// references one it does not use, so building one component never builds another's engine.
/// </summary>
public sealed class ProjectGraphTests
{
    [Theory]
    [InlineData("Router/Unitization.Router/Unitization.Router.csproj", "Unitization.Analytics", "Unitization.DataManager", "Unitization.Replication")]
    [InlineData("Replication/Unitization.Replication/Unitization.Replication.csproj", "Unitization.Analytics", "Unitization.DataManager", "Unitization.Router")]
    [InlineData("Analytics/Unitization.Analytics/Unitization.Analytics.csproj", "Unitization.DataManager", "Unitization.Replication", "Unitization.Router", "Unitization.Throttle")]
    [InlineData("DataManager/Unitization.DataManager/Unitization.DataManager.csproj", "Unitization.Analytics", "Unitization.Replication", "Unitization.Router", "Unitization.Throttle")]
    [InlineData("Throttle/Unitization.Throttle/Unitization.Throttle.csproj", "Unitization.Analytics", "Unitization.DataManager", "Unitization.Replication", "Unitization.Router")]
    public void Closure_Component_BuildsNoOtherComponentsEngine(string project, params string[] forbidden)
    {
        var built = RepositoryLayout.Closure(Path.Combine(RepositoryLayout.Root, project))
            .Select(Path.GetFileNameWithoutExtension)
            .ToList();

        Assert.Empty(built.Intersect(forbidden, StringComparer.Ordinal));
    }

    [Fact]
    public void ProjectReferences_EveryProductProject_UsesEachProjectItReferences()
    {
        var unused = new List<string>();
        foreach (var project in RepositoryLayout.ProductProjects)
        {
            var code = string.Join('\n', project.Sources.Select(File.ReadAllText));
            foreach (var reference in RepositoryLayout.ProjectReferences(project.Path))
            {
                var referenced = new ProductProject(reference);
                var sources = referenced.Sources.Select(File.ReadAllText).ToList();
                var types = sources.SelectMany(RepositoryLayout.TypeNames).ToHashSet(StringComparer.Ordinal);
                var namespaces = sources.SelectMany(RepositoryLayout.Namespaces).ToHashSet(StringComparer.Ordinal);
                if (!types.Any(t => Regex.IsMatch(code, $@"\b{t}\b")) && !namespaces.Any(n => code.Contains($"using {n};", StringComparison.Ordinal)))
                {
                    unused.Add($"{project} references {referenced} but uses none of its types");
                }
            }
        }

        Assert.True(unused.Count == 0, string.Join('\n', unused));
    }

    [Fact]
    public void ProductProjects_NoneUnderAnotherProjectsFolder()
    {
        var folders = RepositoryLayout.ProductProjects.Select(p => p.Folder + Path.DirectorySeparatorChar).ToList();
        var nested = folders.SelectMany(outer => folders.Where(inner => inner != outer && inner.StartsWith(outer, StringComparison.Ordinal))).ToList();

        Assert.True(nested.Count == 0, string.Join('\n', nested));
    }
}
