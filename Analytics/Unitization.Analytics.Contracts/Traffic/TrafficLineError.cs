namespace Unitization.Analytics.Traffic;

/// <summary>
/// A line of a traffic message that is not a valid record: its 1-based <paramref name="Line"/> (0: the message is one
/// line), where it sits in the message, and why it was refused.
/// </summary>
public readonly record struct TrafficLineError(int Line, int Start, int Length, string Reason)
{
    /// <summary>The reason as a dead letter carries it: prefixed with the line when the message had several.</summary>
    public string Describe() => Line == 0 ? Reason : $"line {Line}: {Reason}";
}
