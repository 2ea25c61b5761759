namespace Unitization.Analytics.Queries;

/// <summary>
/// A job worth moving: its measured cross-datacenter bytes in the window, the estimate if it ran in the suggested
/// datacenter, and the saving per day. <see cref="Model"/> says which estimate: <c>datamanager</c> (DataManager's cost
/// model over the plan in force, balance respected) or <c>measured</c> (the job's own measured flows only).
/// </summary>
internal sealed record PlacementSuggestion(
    string Job, string CurrentDatacenter, string SuggestedDatacenter, long CrossBytes, long CrossBytesIfMoved, long SavingBytes, long SavingBytesPerDay)
{
    public string Model { get; init; } = PlacementModel.Measured;
}
