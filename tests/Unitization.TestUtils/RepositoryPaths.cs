namespace Unitization.TestUtils;

/// <summary>Finds files of the repository from a test's output folder.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string ShippedConfig => Path.Combine(Root, "infra", "config", "unitization.json");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Unitization.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Unitization.sln not found above " + AppContext.BaseDirectory);
    }
}
