namespace Unitization.DataManager.Lineage;

/// <summary>The parts of an OpenLineage RunEvent placement uses.</summary>
/// <param name="Dag">The scheduler DAG the job belongs to (parent run facet, else the job name before its first dot).</param>
internal sealed record LineageEvent(
    string EventType,
    DateTimeOffset EventTime,
    JobRef Job,
    string Dag,
    IReadOnlyList<DatasetIo> Inputs,
    IReadOnlyList<DatasetIo> Outputs)
{
    /// <summary>START and RUNNING events announce a run; the terminal event carries its statistics and counts the run.</summary>
    public bool IsTerminal => EventType is not ("START" or "RUNNING");
}
