namespace Unitization.Namespaces.Local;

/// <summary>A bad last frame of an edit log (a write torn by a crash, or one in progress): where it starts, how many bytes, and what is wrong.</summary>
public sealed record TornTail(long Offset, long Bytes, string Reason);
