namespace Unitization.Replication.Migration;

/// <summary>
/// Counts a migration's progress as the copy goes and reports it: bytes as each chunk lands (not when a whole file is
/// done), files as each is verified, the copy's own rate (<see cref="CopyRateMeter"/>) and the time left. What a
/// resumed run finds already verified counts as done but never as copied.
/// </summary>
internal sealed class MigrationMeter(MigrationSpec spec, TimeProvider time, IProgress<MigrationProgress>? progress)
{
    private readonly Lock _lock = new();
    private readonly CopyRateMeter _rate = new(time);
    private string _phase = MigrationPhase.Listing;
    private int _filesTotal;
    private int _filesDone;
    private long _bytesTotal;
    private long _bytesDone;
    private long _snapshot;

    /// <summary>Bytes copied outside the listing (the catch-up): they count for the rate only.</summary>
    public IProgress<long> Untallied => new RateOnly(_rate);

    public void Start(MigrationCheckpoint.Listing listing, IReadOnlySet<string> done)
    {
        ArgumentNullException.ThrowIfNull(listing);
        lock (_lock)
        {
            _filesTotal = listing.Files.Count;
            _bytesTotal = listing.Files.Sum(f => f.Length);
            _filesDone = listing.Files.Count(f => done.Contains(f.Relative));
            _bytesDone = listing.Files.Where(f => done.Contains(f.Relative)).Sum(f => f.Length);
            _snapshot = listing.SnapshotTxId;
        }
    }

    /// <summary>Bytes an earlier run verified (chunks of a file not finished then): done, not copied now.</summary>
    public void Skipped(long bytes)
    {
        lock (_lock)
        {
            _bytesDone += bytes;
        }
    }

    /// <summary>A file about to be copied; <paramref name="counted"/> of its bytes are already counted as done (verified chunks).</summary>
    public FileTally File(long length, long counted = 0) => new(this, length, counted);

    /// <summary>A file is verified: <paramref name="record"/> (its checkpoint line) runs under the meter's lock, then it counts whole.</summary>
    public void FileDone(FileTally tally, Action record)
    {
        ArgumentNullException.ThrowIfNull(tally);
        ArgumentNullException.ThrowIfNull(record);
        lock (_lock)
        {
            record();
            _filesDone++;
            _bytesDone += tally.Length - tally.Counted;
            Publish(null, null);
        }
    }

    public MigrationProgress Report(string phase, long? version = null)
    {
        lock (_lock)
        {
            _phase = phase;
            return Publish(version, null);
        }
    }

    public MigrationProgress Done(long version)
    {
        lock (_lock)
        {
            _phase = MigrationPhase.Done;
            _bytesDone = _bytesTotal;
            _filesDone = _filesTotal;
            return Publish(version, null);
        }
    }

    /// <summary>The target held the snapshot already: done, nothing copied, and the note says so.</summary>
    public MigrationProgress AlreadyThere(int files, long bytes, long snapshot, string note)
    {
        lock (_lock)
        {
            _phase = MigrationPhase.Done;
            _filesTotal = _filesDone = files;
            _bytesTotal = _bytesDone = bytes;
            _snapshot = snapshot;
            return Publish(snapshot, note);
        }
    }

    private void Copied(FileTally tally, long bytes)
    {
        _rate.Add(bytes);
        lock (_lock)
        {
            tally.Counted += bytes;
            _bytesDone += bytes;
            Publish(null, null);
        }
    }

    private MigrationProgress Publish(long? version, string? note)
    {
        var rate = _rate.BytesPerSecond;
        var left = Math.Max(0, _bytesTotal - _bytesDone);
        var counts = new CopyProgress(
            Math.Min(_bytesDone, _bytesTotal), _bytesTotal, _filesDone, _filesTotal, _rate.Copied, Math.Round(rate), rate > 0 ? Math.Round(left / rate, 1) : null);
        var value = new MigrationProgress(
            spec.Id, spec.Source, spec.Path, spec.Target, spec.Priority, spec.BytesPerSecond, _phase, counts, _snapshot, version, note, null, time.GetUtcNow());
        progress?.Report(value);
        return value;
    }

    /// <summary>One file's share of the count: each chunk copied reports here.</summary>
    internal sealed class FileTally(MigrationMeter meter, long length, long counted) : IProgress<long>
    {
        public long Length { get; } = length;

        public long Counted { get; set; } = counted;

        public void Report(long value) => meter.Copied(this, value);
    }

    private sealed class RateOnly(CopyRateMeter rate) : IProgress<long>
    {
        public void Report(long value) => rate.Add(value);
    }
}
