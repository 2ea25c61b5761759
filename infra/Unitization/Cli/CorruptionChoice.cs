namespace Unitization.Host.Cli;

/// <summary>What <c>fs recover</c> does with a corrupt edit log.</summary>
internal enum CorruptionChoice
{
    /// <summary>Cut the log at the corruption, losing what follows.</summary>
    Truncate,

    /// <summary>Replace the bad bytes with placeholder edits, keeping what follows.</summary>
    Skip,
}
