namespace Unitization.DataManager.Lineage;

/// <summary>
/// Jobs, datasets and their read/write edges with bytes per day over a window: what placement works on.
/// Every job and dataset seen appears once; edges outside the window keep their place with zero bytes.
/// </summary>
internal sealed class LineageSnapshot
{
    public required JobRef[] Jobs { get; init; }

    /// <summary>Per job: the scheduler DAG it belongs to.</summary>
    public required string[] Dags { get; init; }

    /// <summary>Per job: runs in the window.</summary>
    public required int[] Runs { get; init; }

    public required DatasetRef[] Datasets { get; init; }

    public required int[] ReadJob { get; init; }

    public required int[] ReadDataset { get; init; }

    public required double[] ReadBytesPerDay { get; init; }

    public required int[] WriteJob { get; init; }

    public required int[] WriteDataset { get; init; }

    public required double[] WriteBytesPerDay { get; init; }

    /// <summary>The days the window covers (bytes per day are window bytes divided by this).</summary>
    public required int Days { get; init; }

    public static LineageSnapshot Empty { get; } = new()
    {
        Jobs = [], Dags = [], Runs = [], Datasets = [], ReadJob = [], ReadDataset = [], ReadBytesPerDay = [],
        WriteJob = [], WriteDataset = [], WriteBytesPerDay = [], Days = 1,
    };
}
