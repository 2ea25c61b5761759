using System.CommandLine;

namespace Unitization.Throttle.Cli;

/// <summary>The benchmarks Throttle contributes to <c>unitization bench</c>.</summary>
public static class ThrottleCommands
{
    public static IEnumerable<Command> Benchmarks() => [];
}
