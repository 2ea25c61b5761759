namespace Unitization.DataManager.Marquez;

/// <summary>Marquez's <c>GET /api/v1/lineage</c> answer.</summary>
internal sealed record MarquezLineage(IReadOnlyList<MarquezNode> Graph);
