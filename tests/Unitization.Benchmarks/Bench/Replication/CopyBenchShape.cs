namespace Unitization.Benchmarks.Bench.Replication;

/// <summary>
/// What <c>bench copy</c> copies (<see cref="Files"/> files of <see cref="SizeMb"/> MB), how many at once, how many
/// rounds, and which of its four contenders run (indexes: <c>cp -r</c>, <c>cp -r</c> + <c>sync -f</c>, the durable
/// replica, the replica without data fsync), and whether the durable replica drops its pages behind it.
/// </summary>
internal sealed record CopyBenchShape(int Files, int SizeMb, int Parallel, int Rounds, IReadOnlyList<int> Contenders, bool DropBehind = false)
{
    public long Bytes => (long)Files * SizeMb * 1_000_000;
}
