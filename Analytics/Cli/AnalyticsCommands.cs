using System.CommandLine;

namespace Unitization.Analytics.Cli;

/// <summary>The benchmarks Analytics contributes to <c>unitization bench</c>.</summary>
public static class AnalyticsCommands
{
    public static IEnumerable<Command> Benchmarks() => [];
}
