namespace Unitization.IntegrationTests.Processes;

/// <summary>The checkout these tests run from (the folder holding Unitization.sln).</summary>
internal static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Join(dir.FullName, "Unitization.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Unitization.sln not found above " + AppContext.BaseDirectory);
    }
}
