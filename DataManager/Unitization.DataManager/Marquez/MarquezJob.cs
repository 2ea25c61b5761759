namespace Unitization.DataManager.Marquez;

/// <summary>A job as Marquez lists it (the fields a lineage UI reads; runs and versions are not kept here).</summary>
internal sealed record MarquezJob(MarquezId Id, string Type, string Name, string SimpleName, string Namespace, IReadOnlyList<MarquezId> Inputs, IReadOnlyList<MarquezId> Outputs);
