namespace Unitization.DataManager.Marquez;

internal sealed record MarquezEdge(string Origin, string Destination);
