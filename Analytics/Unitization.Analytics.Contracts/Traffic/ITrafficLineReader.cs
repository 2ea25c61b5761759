namespace Unitization.Analytics.Traffic;

/// <summary>Takes one line of a traffic message (one JSON record); false with the reason when it is not a valid record.</summary>
internal interface ITrafficLineReader
{
    bool TryRead(ReadOnlySpan<byte> line, out string? error);
}
