namespace Unitization.Replication.Hosting;

/// <summary>Answer of a replay: how many dead letters were published to the events topic again, and their ids.</summary>
public sealed record ReplayResult(int Replayed, IReadOnlyList<string> Ids);
