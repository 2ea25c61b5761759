namespace Unitization.Replication.Migration;

/// <summary>
/// How far a migration's copy is: bytes and files done of the total (done counts verified files and chunks, including
/// those a resumed run found in its checkpoint, plus the bytes of files being copied as each chunk lands), the copy's
/// own rate (<see cref="CopyRateMeter"/>: only bytes this run copied) and the time left at that rate.
/// </summary>
public sealed record CopyProgress(long BytesDone, long BytesTotal, int FilesDone, int FilesTotal, long BytesCopied, double BytesPerSecond, double? EtaSeconds)
{
    public static readonly CopyProgress None = new(0, 0, 0, 0, 0, 0, null);

    public double Percent => BytesTotal == 0 ? 0 : Math.Round(100.0 * BytesDone / BytesTotal, 1);
}
