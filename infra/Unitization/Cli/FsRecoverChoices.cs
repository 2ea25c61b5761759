namespace Unitization.Host.Cli;

/// <summary>The choices of <c>fs recover</c> given on the command line (null/false: ask, or refuse when not interactive).</summary>
internal sealed record FsRecoverChoices(CorruptionChoice? Corruption, bool AcceptDiskState, bool Yes);
