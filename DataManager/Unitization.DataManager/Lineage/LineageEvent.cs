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
    /// <summary>The event type given to a JobEvent (static lineage: the job's inputs and outputs, no run).</summary>
    public const string JobEventType = "JOB";

    /// <summary>The event type given to a DatasetEvent (a dataset announced, no job; <see cref="Outputs"/> holds it).</summary>
    public const string DatasetEventType = "DATASET";

    /// <summary><c>run.runId</c> of a RunEvent: with <see cref="EventType"/>, what makes a re-sent event the same event.</summary>
    public string? RunId { get; init; }

    /// <summary>START and RUNNING events announce a run; the terminal event carries its statistics and counts the run.</summary>
    public bool IsTerminal => EventType is not ("START" or "RUNNING" or JobEventType or DatasetEventType);

    public bool IsDatasetEvent => EventType == DatasetEventType;
}
