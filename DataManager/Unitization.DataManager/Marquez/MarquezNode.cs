namespace Unitization.DataManager.Marquez;

internal sealed record MarquezNode(string Id, string Type, object Data, IReadOnlyList<MarquezEdge> InEdges, IReadOnlyList<MarquezEdge> OutEdges);
