namespace Unitization.Throttle.Simulation;

/// <summary>What each stream of a simulation got over <see cref="Duration"/> of simulated time.</summary>
internal sealed record SimulationResult(TimeSpan Duration, double ConfiguredBytesPerSecond, IReadOnlyList<long> DeliveredBytes, long Grants)
{
    public long TotalBytes => DeliveredBytes.Sum();

    public double DeliveredBytesPerSecond => TotalBytes / Duration.TotalSeconds;

    /// <summary>Delivered rate relative to the configured rate, minus one (0.004 = 0.4 % over).</summary>
    public double RateError => (DeliveredBytesPerSecond / ConfiguredBytesPerSecond) - 1;

    public double ShareOf(int stream) => (double)DeliveredBytes[stream] / TotalBytes;

    /// <summary>Jain's fairness index of the streams' throughputs, each divided by its weight: 1 is perfectly fair.</summary>
    public double JainIndex(IReadOnlyList<double>? weights = null)
    {
        var x = DeliveredBytes.Select((b, i) => b / (weights?[i] ?? 1)).ToArray();
        var sum = x.Sum();
        var squares = x.Sum(v => v * v);
        return sum * sum / (x.Length * squares);
    }
}
