namespace Unitization.Analytics.Queries;

/// <summary>A job worth moving: its cross-datacenter bytes now, if run in the suggested datacenter, and the saving.</summary>
internal sealed record PlacementSuggestion(
    string Job, string CurrentDatacenter, string SuggestedDatacenter, long CrossBytes, long CrossBytesIfMoved, long SavingBytes, long SavingBytesPerDay);
