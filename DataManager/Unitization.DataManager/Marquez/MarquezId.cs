namespace Unitization.DataManager.Marquez;

/// <summary>A job's or dataset's id in Marquez's API: <c>{"namespace","name"}</c>.</summary>
internal sealed record MarquezId(string Namespace, string Name);
