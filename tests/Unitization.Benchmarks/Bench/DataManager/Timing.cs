namespace Unitization.Benchmarks.Bench.DataManager;

/// <summary>One measured time: CPU seconds (user + system, all threads) and wall seconds.</summary>
internal readonly record struct Timing(double Cpu, double Wall)
{
    public Timing Min(Timing other) => new(Math.Min(Cpu, other.Cpu), Math.Min(Wall, other.Wall));

    /// <summary>This time as a multiple of <paramref name="baseline"/>, CPU and wall.</summary>
    public Timing Over(Timing baseline) => new(Cpu / baseline.Cpu, Wall / baseline.Wall);
}
