using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Unitization.DataManager.Lineage;

/// <summary>
/// Sums lineage per day: bytes per (job, dataset, direction, day) and runs per (job, day). Terminal events carry the
/// statistics and count as runs; START/RUNNING events only make the edge known.
/// </summary>
internal sealed class LineageAccumulator
{
    private readonly Dictionary<JobRef, int> _jobIds = [];
    private readonly List<JobRef> _jobs = [];
    private readonly List<string> _dags = [];
    private readonly Dictionary<DatasetRef, int> _datasetIds = [];
    private readonly List<DatasetRef> _datasets = [];
    private readonly Dictionary<IoKey, long> _io = [];
    private readonly Dictionary<(int Job, int Day), int> _runs = [];

    public int Events { get; private set; }

    /// <summary>
    /// Sizes the tables for about <paramref name="events"/> more events with <paramref name="ioPerEvent"/> inputs and
    /// outputs each, so that reading a big file does not rehash them again and again as they grow.
    /// </summary>
    public void Reserve(long events, double ioPerEvent)
    {
        var io = (int)Math.Min(Array.MaxLength / 4, (_io.Count + (events * ioPerEvent)) * 1.1);
        var runs = (int)Math.Min(Array.MaxLength / 4, (_runs.Count + events) * 1.1);
        _io.EnsureCapacity(io);
        _runs.EnsureCapacity(runs);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(LineageEvent lineageEvent)
    {
        ArgumentNullException.ThrowIfNull(lineageEvent);
        Events++;
        if (lineageEvent.IsDatasetEvent)
        {
            return; // no job: the dataset is kept apart (announced datasets), not as an edge
        }

        var day = DateOnly.FromDateTime(lineageEvent.EventTime.UtcDateTime).DayNumber;
        var job = JobId(lineageEvent.Job, lineageEvent.Dag);
        var terminal = lineageEvent.IsTerminal;
        foreach (var input in lineageEvent.Inputs)
        {
            AddIo(job, DatasetId(input.Dataset), write: false, day, terminal ? input.Bytes : 0);
        }

        foreach (var output in lineageEvent.Outputs)
        {
            AddIo(job, DatasetId(output.Dataset), write: true, day, terminal ? output.Bytes : 0);
        }

        AddRuns(job, day, terminal ? 1 : 0);
    }

    public void Add(DailyIo io)
    {
        ArgumentNullException.ThrowIfNull(io);
        AddIo(JobId(io.Job, io.Dag), DatasetId(io.Dataset), io.Write, io.Day.DayNumber, io.Bytes);
    }

    public void Add(DailyRuns runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        AddRuns(JobId(runs.Job, runs.Dag), runs.Day.DayNumber, runs.Runs);
    }

    public IEnumerable<DailyIo> DailyIo() =>
        _io.Select(kv => new DailyIo(DateOnly.FromDayNumber(kv.Key.Day), _jobs[kv.Key.Job], _dags[kv.Key.Job], _datasets[kv.Key.Dataset], kv.Key.Write, kv.Value));

    public IEnumerable<DailyRuns> DailyRuns() =>
        _runs.Select(kv => new DailyRuns(DateOnly.FromDayNumber(kv.Key.Day), _jobs[kv.Key.Job], _dags[kv.Key.Job], kv.Value));

    /// <summary>Bytes per day over the last <paramref name="windowDays"/> days that have lineage (ending at the newest day seen).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public LineageSnapshot Snapshot(int windowDays)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windowDays, 1);
        if (_jobs.Count == 0)
        {
            return LineageSnapshot.Empty;
        }

        int lastDay = int.MinValue, firstDay = int.MaxValue;
        foreach (var key in _io.Keys)
        {
            lastDay = Math.Max(lastDay, key.Day);
            firstDay = Math.Min(firstDay, key.Day);
        }

        foreach (var key in _runs.Keys)
        {
            lastDay = Math.Max(lastDay, key.Day);
            firstDay = Math.Min(firstDay, key.Day);
        }

        var windowStart = Math.Max(firstDay, lastDay - windowDays + 1);
        var days = lastDay - windowStart + 1;
        var reads = new Dictionary<(int Job, int Dataset), long>();
        var writes = new Dictionary<(int Job, int Dataset), long>();
        foreach (var (key, bytes) in _io)
        {
            var target = key.Write ? writes : reads;
            var inWindow = key.Day >= windowStart ? bytes : 0;
            target[(key.Job, key.Dataset)] = target.GetValueOrDefault((key.Job, key.Dataset)) + inWindow;
        }

        var runs = new int[_jobs.Count];
        foreach (var (key, count) in _runs)
        {
            if (key.Day >= windowStart)
            {
                runs[key.Job] += count;
            }
        }

        return new LineageSnapshot
        {
            Jobs = [.. _jobs],
            Dags = [.. _dags],
            Runs = runs,
            Datasets = [.. _datasets],
            ReadJob = reads.Keys.Select(k => k.Job).ToArray(),
            ReadDataset = reads.Keys.Select(k => k.Dataset).ToArray(),
            ReadBytesPerDay = reads.Values.Select(b => (double)b / days).ToArray(),
            WriteJob = writes.Keys.Select(k => k.Job).ToArray(),
            WriteDataset = writes.Keys.Select(k => k.Dataset).ToArray(),
            WriteBytesPerDay = writes.Values.Select(b => (double)b / days).ToArray(),
            Days = days,
        };
    }

    // one hash lookup per addition (the value is updated in place)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AddIo(int job, int dataset, bool write, int day, long bytes) =>
        CollectionsMarshal.GetValueRefOrAddDefault(_io, new IoKey(job, dataset, write, day), out _) += bytes;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AddRuns(int job, int day, int runs) => CollectionsMarshal.GetValueRefOrAddDefault(_runs, (job, day), out _) += runs;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int JobId(JobRef job, string dag)
    {
        ref var id = ref CollectionsMarshal.GetValueRefOrAddDefault(_jobIds, job, out var exists);
        if (!exists)
        {
            id = _jobs.Count;
            _jobs.Add(job);
            _dags.Add(dag);
        }

        return id;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int DatasetId(DatasetRef dataset)
    {
        ref var id = ref CollectionsMarshal.GetValueRefOrAddDefault(_datasetIds, dataset, out var exists);
        if (!exists)
        {
            id = _datasets.Count;
            _datasets.Add(dataset);
        }

        return id;
    }

    private readonly record struct IoKey(int Job, int Dataset, bool Write, int Day);
}
