using System.CommandLine;

namespace Unitization.DataManager.Cli;

/// <summary>The command-line verbs DataManager contributes: <c>place</c>, <c>communities</c>, <c>plan diff|apply</c>.</summary>
public static class DataManagerCommands
{
    public static IEnumerable<Command> Verbs()
    {
        yield return PlaceCommand.Create();
        yield return CommunitiesCommand.Create();
        yield return PlanCommand.Create();
    }
}
