namespace Unitization.Architecture.Tests;

/// <summary>A project outside tests/, with the C# sources it compiles (every .cs file under its folder).</summary>
internal sealed class ProductProject(string path)
{
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public string Name => System.IO.Path.GetFileNameWithoutExtension(Path);

    public string Folder => System.IO.Path.GetDirectoryName(Path)!;

    public IEnumerable<string> Sources => Directory
        .EnumerateFiles(Folder, "*.cs", SearchOption.AllDirectories)
        .Where(f => !RepositoryLayout.IsBuildOutput(f));

    public override string ToString() => System.IO.Path.GetRelativePath(RepositoryLayout.Root, Path);
}
