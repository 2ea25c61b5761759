using BenchmarkDotNet.Running;
using Unitization.Benchmarks.Bench;

namespace Unitization.Benchmarks;

/// <summary>
/// Two kinds of benchmark in one executable: the whole-system <c>bench</c> verbs (<c>./unitization bench place ...</c>,
/// or <c>dotnet run --project tests/Unitization.Benchmarks -- place ...</c>), and BenchmarkDotNet's micro-benchmarks
/// when the first argument is an option (<c>-- --filter '*Leiden*'</c>).
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0].StartsWith('-') && args[0] is not ("-h" or "--help" or "-?"))
        {
            BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
            return 0;
        }

        return await BenchCommandLine.Create().Parse(args).InvokeAsync().ConfigureAwait(false);
    }
}
