namespace Unitization.DataManager.Rules;

/// <summary>
/// How urgent the readers of a job namespace are (section <c>DataManager:ReaderPriorities:N</c>):
/// <c>{"JobNamespace":"airflow-prod","Priority":"High"}</c>; <see cref="JobNamespace"/> is a namespace or a prefix
/// ending in <c>*</c>. A replica's copies run at the highest priority among the jobs that read it in its datacenter.
/// </summary>
public sealed class ReaderPriority
{
    /// <summary>The priority names, lowest first; a rule's priority is the index (0 Low, 1 Normal, 2 High).</summary>
    public static readonly IReadOnlyList<string> Names = ["Low", "Normal", "High"];

    public string JobNamespace { get; set; } = string.Empty;

    public string Priority { get; set; } = "Normal";

    /// <summary>The rule priority of a name (any case), or -1 when it is none of <see cref="Names"/>.</summary>
    public static int Parse(string? name) => Names.ToList().FindIndex(n => string.Equals(n, name?.Trim(), StringComparison.OrdinalIgnoreCase));

    internal bool Matches(string jobNamespace) =>
        JobNamespace.EndsWith('*') ? jobNamespace.StartsWith(JobNamespace[..^1], StringComparison.Ordinal) : string.Equals(JobNamespace, jobNamespace, StringComparison.Ordinal);
}
