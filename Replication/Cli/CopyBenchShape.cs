namespace Unitization.Replication.Cli;

/// <summary>What <c>bench copy</c> copies (<see cref="Files"/> files of <see cref="SizeMb"/> MB), how many at once, and how many rounds.</summary>
internal sealed record CopyBenchShape(int Files, int SizeMb, int Parallel, int Rounds)
{
    public long Bytes => (long)Files * SizeMb * 1_000_000;
}
