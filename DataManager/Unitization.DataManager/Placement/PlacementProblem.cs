using Unitization.DataManager.Lineage;

namespace Unitization.DataManager.Placement;

/// <summary>
/// What placement decides over: the lineage, the datacenters with their shares, and the balance slack. Derived here:
/// per-job load (bytes read plus written per day), per-datacenter capacity <c>(1 + eps) * share * total</c>, and
/// per-dataset copy cost (its bytes written per day; for a source nobody writes, the most any one job reads a day),
/// with the edges indexed both by job and by dataset, and the primaries pinned where data already lives.
/// </summary>
internal sealed class PlacementProblem
{
    public PlacementProblem(LineageSnapshot lineage, IReadOnlyList<string> datacenters, IReadOnlyList<double> shares, double eps)
    {
        ArgumentNullException.ThrowIfNull(lineage);
        ArgumentNullException.ThrowIfNull(datacenters);
        ArgumentNullException.ThrowIfNull(shares);
        if (datacenters.Count == 0 || datacenters.Count != shares.Count)
        {
            throw new ArgumentException("Give at least one datacenter and one share per datacenter.", nameof(shares));
        }

        if (datacenters.Count > 64)
        {
            throw new ArgumentException("At most 64 datacenters are supported.", nameof(datacenters));
        }

        if (shares.Any(s => !(s > 0) || double.IsInfinity(s)))
        {
            throw new ArgumentException("Every share must be a positive number.", nameof(shares));
        }

        if (!(eps >= 0))
        {
            throw new ArgumentException("eps must be >= 0.", nameof(eps));
        }

        Lineage = lineage;
        Datacenters = [.. datacenters];
        var shareSum = shares.Sum();
        Shares = shares.Select(s => s / shareSum).ToArray();
        Eps = eps;
        JobCount = lineage.Jobs.Length;
        DatasetCount = lineage.Datasets.Length;

        JobLoad = new double[JobCount];
        for (var e = 0; e < lineage.ReadJob.Length; e++)
        {
            JobLoad[lineage.ReadJob[e]] += lineage.ReadBytesPerDay[e];
        }

        for (var e = 0; e < lineage.WriteJob.Length; e++)
        {
            JobLoad[lineage.WriteJob[e]] += lineage.WriteBytesPerDay[e];
        }

        TotalLoad = JobLoad.Sum();
        Capacity = Shares.Select(s => (1 + eps) * s * TotalLoad).ToArray();

        (JobReadStart, JobReadDataset, JobReadBytes) = Index(JobCount, lineage.ReadJob, lineage.ReadDataset, lineage.ReadBytesPerDay);
        (JobWriteStart, JobWriteDataset, JobWriteBytes) = Index(JobCount, lineage.WriteJob, lineage.WriteDataset, lineage.WriteBytesPerDay);
        (DatasetReadStart, DatasetReadJob, DatasetReadBytes) = Index(DatasetCount, lineage.ReadDataset, lineage.ReadJob, lineage.ReadBytesPerDay);
        (DatasetWriteStart, DatasetWriteJob, DatasetWriteBytes) = Index(DatasetCount, lineage.WriteDataset, lineage.WriteJob, lineage.WriteBytesPerDay);

        CopyCost = new double[DatasetCount];
        for (var x = 0; x < DatasetCount; x++)
        {
            double written = 0, mostRead = 0;
            for (var e = DatasetWriteStart[x]; e < DatasetWriteStart[x + 1]; e++)
            {
                written += DatasetWriteBytes[e];
            }

            for (var e = DatasetReadStart[x]; e < DatasetReadStart[x + 1]; e++)
            {
                mostRead = Math.Max(mostRead, DatasetReadBytes[e]);
            }

            CopyCost[x] = DatasetWriteStart[x + 1] > DatasetWriteStart[x] ? written : mostRead;
        }

        PinnedPrimary = new int[DatasetCount];
        Array.Fill(PinnedPrimary, -1);
    }

    /// <summary>
    /// Per dataset: the datacenter its primary must stay in (where the data is written today: the plan in force, or
    /// configuration for tables written outside the lineage), or -1 when placement chooses.
    /// </summary>
    public int[] PinnedPrimary { get; }

    /// <summary>Whether some job of the lineage writes the dataset (its primary then goes where a writer runs).</summary>
    public bool IsWritten(int dataset) => DatasetWriteStart[dataset + 1] > DatasetWriteStart[dataset];

    public LineageSnapshot Lineage { get; }

    public string[] Datacenters { get; }

    /// <summary>Shares normalized to sum to 1.</summary>
    public double[] Shares { get; }

    public double Eps { get; }

    public int JobCount { get; }

    public int DatasetCount { get; }

    public int DatacenterCount => Datacenters.Length;

    public double[] JobLoad { get; }

    public double TotalLoad { get; }

    public double[] Capacity { get; }

    /// <summary>
    /// The most load a balanced placement puts in datacenter <paramref name="d"/>: its capacity with the balance
    /// check's own slack for rounding (a relative and an absolute 1e-9).
    /// </summary>
    public double MostLoad(int d) => (Capacity[d] * (1 + 1e-9)) + 1e-9;

    /// <summary>Bytes per day one replica of the dataset costs.</summary>
    public double[] CopyCost { get; }

    public int[] JobReadStart { get; }

    public int[] JobReadDataset { get; }

    public double[] JobReadBytes { get; }

    public int[] JobWriteStart { get; }

    public int[] JobWriteDataset { get; }

    public double[] JobWriteBytes { get; }

    public int[] DatasetReadStart { get; }

    public int[] DatasetReadJob { get; }

    public double[] DatasetReadBytes { get; }

    public int[] DatasetWriteStart { get; }

    public int[] DatasetWriteJob { get; }

    public double[] DatasetWriteBytes { get; }

    private static (int[] Start, int[] Other, double[] Bytes) Index(int count, int[] key, int[] other, double[] bytes)
    {
        var start = new int[count + 1];
        foreach (var k in key)
        {
            start[k + 1]++;
        }

        for (var i = 0; i < count; i++)
        {
            start[i + 1] += start[i];
        }

        var fill = (int[])start.Clone();
        var others = new int[key.Length];
        var values = new double[key.Length];
        for (var e = 0; e < key.Length; e++)
        {
            var at = fill[key[e]]++;
            others[at] = other[e];
            values[at] = bytes[e];
        }

        return (start, others, values);
    }
}
