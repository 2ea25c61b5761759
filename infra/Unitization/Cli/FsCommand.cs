using System.CommandLine;

namespace Unitization.Host.Cli;

/// <summary><c>unitization fs ls|put|cat|rm|edits --namespace dcA ...</c>: poke a datacenter's namespace.</summary>
public static class FsCommand
{
    public static Command Create()
    {
        var fs = new Command("fs", "Inspect and change a datacenter's namespace (local directory plus edit log).");
        fs.SetAction(_ =>
        {
            Console.Error.WriteLine("unitization fs: not built yet (issue #2).");
            return 2;
        });
        return fs;
    }
}
