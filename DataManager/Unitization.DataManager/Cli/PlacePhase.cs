namespace Unitization.DataManager.Cli;

/// <summary>One phase of a <c>place</c> run: wall seconds, and CPU seconds of the whole process over all its threads (the figure that holds on a shared machine).</summary>
internal sealed record PlacePhase(string Name, double Seconds, double CpuSeconds);
