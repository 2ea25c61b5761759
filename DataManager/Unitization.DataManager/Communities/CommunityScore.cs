namespace Unitization.DataManager.Communities;

/// <summary>
/// One community's state during local moving: <see cref="Weight"/>, the edge weight from the visited node to it (zero
/// between visits), and <see cref="Total"/>, its nodes' summed degree. Side by side, so scoring a neighbouring community
/// reads both from one cache line.
/// </summary>
internal struct CommunityScore
{
    public double Weight;
    public double Total;
}
