namespace Unitization.DataManager.Communities;

/// <summary>A partition found by <see cref="Leiden"/>: community ids are <c>0..CommunityCount-1</c>, numbered by lowest node.</summary>
internal sealed record LeidenResult(int[] Membership, int CommunityCount, double Modularity, int Iterations);
