namespace Unitization.DataManager.Placement;

/// <summary>How placement runs Leiden on the lineage graph.</summary>
internal static class PlacementLeiden
{
    /// <summary>
    /// Placement's Leiden refines its first iteration too (<see cref="Communities.LeidenOptions.RefineFirstIteration"/>):
    /// the communities are the search's starts, and each walk ends in the local minimum of its start. With the first
    /// iteration unrefined, one run of <c>bench place --exact --sizes 2000 --lineages 3</c> left three of its six 10 s
    /// plans more than 2 % above the best placement known (181 -> 191 GiB/day on the 3-DC lineage of seed 42, where the
    /// refined communities gave 180.98 in two runs of two); the lineage graph is small, so the refinement's CPU does
    /// not count.
    /// </summary>
    public const bool RefineFirstIteration = true;
}
