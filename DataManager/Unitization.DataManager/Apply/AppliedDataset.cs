namespace Unitization.DataManager.Apply;

/// <summary>What an apply last did for a dataset: its path, primary and replicas, from which plan version, when.</summary>
internal sealed record AppliedDataset(string Namespace, string Name, string Path, string Primary, IReadOnlyList<string> Replicas, long PlanVersion, DateTimeOffset AppliedAt);
