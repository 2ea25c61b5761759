using Unitization.Throttle.Buckets;
using Unitization.Throttle.Budget;
using Unitization.Throttle.Caps;
using Unitization.Throttle.State;
using Unitization.Throttle.Telemetry;

namespace Unitization.Throttle.Scheduling;

/// <summary>
/// The budget of one link: link token bucket → priority classes (a class with floor tokens is served first, then the
/// highest class; so a higher class is preferred but the lowest keeps its floor) → start-time fair queueing among the
/// tenants of a class by weight. Work-conserving: what an idle class or tenant does not use goes to the others.
/// Tenant caps (set by an SRE) make a tenant ineligible while its cap bucket is empty.
/// </summary>
internal sealed class LinkScheduler : IDisposable
{
    private static readonly TrafficPriority[] HighestFirst = [.. Enum.GetValues<TrafficPriority>().OrderDescending()];

    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly TokenBucket _link;
    private readonly PriorityClass[] _classes; // highest first
    private readonly PriorityClass[] _byPriority; // indexed by (int)TrafficPriority
    private readonly Dictionary<string, TokenBucket> _capBuckets = new(StringComparer.Ordinal);
    private readonly TenantCapRegistry _caps;
    private readonly Func<string, double> _weightOf;
    private readonly ThrottleMetrics? _metrics;
    private readonly ITimer? _timer;
    private readonly double _burstSeconds;
    private int _waiting;
    private long _granted;
    private double _largestRequest; // the largest request queued so far, up to a second of the link's rate: see FloorCap

    public LinkScheduler(
        LinkId link,
        double bytesPerSecond,
        double burstBytes,
        IReadOnlyDictionary<TrafficPriority, double> floors,
        TimeProvider time,
        TenantCapRegistry caps,
        Func<string, double> weightOf,
        ThrottleMetrics? metrics = null,
        bool pumpOnTimer = true)
    {
        ArgumentNullException.ThrowIfNull(floors);
        ArgumentNullException.ThrowIfNull(time);
        Link = link;
        _time = time;
        _caps = caps;
        _weightOf = weightOf;
        _metrics = metrics;
        _link = new TokenBucket(time, bytesPerSecond, burstBytes);
        _burstSeconds = bytesPerSecond > 0 ? burstBytes / bytesPerSecond : 0.02;
        _classes = [.. HighestFirst.Select(p =>
        {
            var floor = floors.TryGetValue(p, out var f) ? f : 0;
            return new PriorityClass(p, floor, new TokenBucket(time, floor * bytesPerSecond, FloorBurst(floor, burstBytes)));
        })];
        _byPriority = new PriorityClass[_classes.Length];
        foreach (var c in _classes)
        {
            _byPriority[(int)c.Priority] = c;
        }

        if (pumpOnTimer)
        {
            _timer = time.CreateTimer(static s => ((LinkScheduler)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    public LinkId Link { get; }

    public double BytesPerSecond
    {
        get
        {
            lock (_lock)
            {
                return _link.BytesPerSecond;
            }
        }
    }

    public double Burst
    {
        get
        {
            lock (_lock)
            {
                return _link.Burst;
            }
        }
    }

    /// <summary>Returns when <paramref name="bytes"/> may cross the link for <paramref name="tenant"/>.</summary>
    public ValueTask AcquireAsync(TrafficPriority priority, string tenant, long bytes, CancellationToken cancellationToken)
    {
        if (bytes <= 0)
        {
            return ValueTask.CompletedTask;
        }

        cancellationToken.ThrowIfCancellationRequested();
        Waiter waiter;
        List<Waiter>? granted = null;
        lock (_lock)
        {
            var flow = FlowOf(priority, tenant);
            var now = _time.GetTimestamp();
            if (_waiting == 0 && CapAllows(tenant, bytes, now, out _) && _link.CanTake(bytes, now))
            {
                GrantLocked(flow, bytes, viaFloor: false, now);
                return ValueTask.CompletedTask;
            }

            waiter = new Waiter(bytes);
            EnqueueLocked(flow, waiter);
            if (cancellationToken.CanBeCanceled)
            {
                waiter.Registration = cancellationToken.UnsafeRegister(
                    static (s, token) => ((LinkScheduler)((object[])s!)[0]).CancelWaiter((Waiter)((object[])s!)[1], token),
                    new object[] { this, waiter });
            }

            granted = PumpAndArmLocked();
        }

        Complete(granted);
        return new ValueTask(waiter.Task);
    }

    /// <summary>Queues a request whose grant is reported through <paramref name="onGrant"/> (no timer; for simulations).</summary>
    public void Submit(TrafficPriority priority, string tenant, long bytes, Action<Waiter> onGrant)
    {
        lock (_lock)
        {
            EnqueueLocked(FlowOf(priority, tenant), new Waiter(bytes, onGrant));
        }
    }

    /// <summary>
    /// Grants every request that can be granted now and reports them; returns how long until the next could be
    /// (null when nothing waits). The timer calls this; simulations call it directly.
    /// </summary>
    public TimeSpan? Pump()
    {
        var granted = new List<Waiter>();
        TimeSpan? next;
        lock (_lock)
        {
            next = PumpLocked(granted);
        }

        Complete(granted);
        return next;
    }

    /// <summary>Changes the link's rate live; what was earned at the old rate is kept.</summary>
    public void SetRate(double bytesPerSecond, double? burstBytes = null)
    {
        List<Waiter>? granted;
        lock (_lock)
        {
            var burst = burstBytes ?? Math.Max(ThrottleDefaults.MinimumBurstBytes, bytesPerSecond * _burstSeconds);
            _link.SetRate(bytesPerSecond, burst);
            _largestRequest = Math.Min(_largestRequest, bytesPerSecond);
            foreach (var c in _classes)
            {
                c.FloorBucket.SetRate(c.Floor * bytesPerSecond, FloorCap(c.Floor, burst));
            }

            granted = PumpAndArmLocked();
        }

        Complete(granted);
    }

    /// <summary>Re-evaluates waiters after a cap changed.</summary>
    public void Wake()
    {
        List<Waiter>? granted;
        lock (_lock)
        {
            granted = PumpAndArmLocked();
        }

        Complete(granted);
    }

    public LinkState Snapshot()
    {
        lock (_lock)
        {
            var classes = _classes.Select(c => new ClassState(c.Priority, c.Floor, c.GrantedBytes, c.WaitingRequests, c.WaitingBytes)).ToArray();
            var tenants = _classes
                .SelectMany(c => c.Flows.Values)
                .OrderBy(f => f.Tenant, StringComparer.Ordinal).ThenByDescending(f => f.Priority)
                .Select(f => new TenantState(f.Tenant, f.Priority, f.Weight, f.GrantedBytes, f.Queue.Count, f.WaitingBytes, _caps.Find(f.Tenant)?.BytesPerSecond))
                .ToArray();
            return new LinkState(Link.ToString(), _link.BytesPerSecond, _link.Burst, Math.Max(0, _link.Tokens), _granted, _waiting, classes, tenants);
        }
    }

    public void Dispose() => _timer?.Dispose();

    /// <summary>
    /// The longest the pump timer is armed for. A longer wait (a request far over a tiny cap's burst) wakes the pump
    /// early, which recomputes and re-arms: timers stay far inside their range (4294967294 ms) whatever the rates.
    /// </summary>
    public static readonly TimeSpan MaxTimerDelay = TimeSpan.FromMinutes(10);

    /// <summary>
    /// What the pump timer is armed with for a wait: whole milliseconds, at least one (a real timer cannot do better,
    /// and lazy refill loses nothing by waking late), at most <see cref="MaxTimerDelay"/>.
    /// </summary>
    internal static TimeSpan TimerDelay(TimeSpan wait)
    {
        var ms = wait.TotalMilliseconds; // TimeSpan.MaxValue → ~9.2e14, never infinite or NaN
        return ms >= MaxTimerDelay.TotalMilliseconds ? MaxTimerDelay : TimeSpan.FromMilliseconds(Math.Max(1, Math.Ceiling(ms)));
    }

    private static double FloorBurst(double floor, double burstBytes) => Math.Max(1, floor * burstBytes);

    /// <summary>
    /// What a class's floor bucket may hold: its share of the link's burst, and at least the largest request queued
    /// (up to a second of the link's rate) plus the floor's share of it. A class whose requests are larger than its
    /// share of the burst (a lease is a whole slice of the link) is served through its floor once the bucket holds a
    /// request, at the link's next grant; while it waits for that grant (up to a request's time on the link) its floor
    /// keeps earning, where a bucket full at its share of the burst would drop that and the class would get less than
    /// its floor (a sixth less at 1 MB/s with 64 KiB requests). Debt from borrowing stays limited to the share of the burst.
    /// </summary>
    private double FloorCap(double floor, double burstBytes) =>
        floor > 0 ? Math.Max(FloorBurst(floor, burstBytes), (1 + floor) * _largestRequest) : FloorBurst(floor, burstBytes);

    // a request larger than any before raises what the floor buckets may hold (see FloorCap)
    private void NoteRequestLocked(long bytes)
    {
        var request = Math.Min(bytes, _link.BytesPerSecond);
        if (request <= _largestRequest)
        {
            return;
        }

        _largestRequest = request;
        foreach (var c in _classes)
        {
            c.FloorBucket.SetRate(c.FloorBucket.BytesPerSecond, FloorCap(c.Floor, _link.Burst));
        }
    }

    private TenantFlow FlowOf(TrafficPriority priority, string tenant)
    {
        var c = ClassOf(priority);
        if (!c.Flows.TryGetValue(tenant, out var flow))
        {
            flow = new TenantFlow(tenant, priority, _weightOf(tenant)) { FinishTag = c.VirtualTime };
            c.Flows.Add(tenant, flow);
        }

        return flow;
    }

    private PriorityClass ClassOf(TrafficPriority priority)
    {
        var index = (int)priority;
        if ((uint)index >= (uint)_byPriority.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(priority), priority, "Unknown traffic priority.");
        }

        return _byPriority[index];
    }

    private void EnqueueLocked(TenantFlow flow, Waiter waiter)
    {
        NoteRequestLocked(waiter.Bytes);
        waiter.Flow = flow;
        waiter.Node = flow.Queue.AddLast(waiter);
        flow.WaitingBytes += waiter.Bytes;
        var c = ClassOf(flow.Priority);
        if (flow.Queue.Count == 1)
        {
            c.Backlogged.Add(flow);
        }

        c.WaitingRequests++;
        c.WaitingBytes += waiter.Bytes;
        _waiting++;
    }

    private void DequeueLocked(Waiter waiter)
    {
        var flow = waiter.Flow!;
        flow.Queue.Remove(waiter.Node!);
        waiter.Node = null;
        flow.WaitingBytes -= waiter.Bytes;
        var c = ClassOf(flow.Priority);
        if (flow.Queue.Count == 0)
        {
            c.Backlogged.Remove(flow);
        }

        c.WaitingRequests--;
        c.WaitingBytes -= waiter.Bytes;
        _waiting--;
    }

    private List<Waiter>? PumpAndArmLocked()
    {
        if (_waiting == 0)
        {
            return null;
        }

        var granted = new List<Waiter>();
        var next = PumpLocked(granted);
        if (next is { } delay && _timer is not null)
        {
            _timer.Change(TimerDelay(delay), Timeout.InfiniteTimeSpan);
        }

        return granted;
    }

    private TimeSpan? PumpLocked(List<Waiter> granted)
    {
        while (_waiting > 0)
        {
            var now = _time.GetTimestamp();
            var (flow, viaFloor, capWait) = PickLocked(now);
            if (flow is null)
            {
                return capWait;
            }

            var head = flow.Queue.First!.Value;
            var wait = _link.TimeUntil(head.Bytes, now);
            if (wait > TimeSpan.Zero)
            {
                return wait == Timeout.InfiniteTimeSpan ? capWait : wait;
            }

            DequeueLocked(head);
            GrantLocked(flow, head.Bytes, viaFloor, now);
            granted.Add(head);
        }

        return null;
    }

    /// <summary>
    /// The next flow to serve: first the highest class that still holds floor tokens for its head, else the highest
    /// class with an eligible flow; within a class the eligible flow with the smallest start tag.
    /// </summary>
    private (TenantFlow? Flow, bool ViaFloor, TimeSpan? CapWait) PickLocked(long now)
    {
        TimeSpan? capWait = null;
        Span<int> best = stackalloc int[_classes.Length];
        for (var i = 0; i < _classes.Length; i++)
        {
            best[i] = BestFlowLocked(_classes[i], now, ref capWait);
            if (best[i] >= 0)
            {
                var flow = _classes[i].Backlogged[best[i]];
                if (_classes[i].Floor > 0 && _classes[i].FloorBucket.CanTake(flow.Queue.First!.Value.Bytes, now))
                {
                    return (flow, true, capWait);
                }
            }
        }

        for (var i = 0; i < _classes.Length; i++)
        {
            if (best[i] >= 0)
            {
                return (_classes[i].Backlogged[best[i]], false, capWait);
            }
        }

        return (null, false, capWait);
    }

    private int BestFlowLocked(PriorityClass c, long now, ref TimeSpan? capWait)
    {
        var best = -1;
        var bestTag = double.PositiveInfinity;
        for (var i = 0; i < c.Backlogged.Count; i++)
        {
            var flow = c.Backlogged[i];
            var tag = flow.StartTag(c.VirtualTime);
            if (tag >= bestTag)
            {
                continue;
            }

            if (!CapAllows(flow.Tenant, flow.Queue.First!.Value.Bytes, now, out var wait))
            {
                capWait = capWait is null || wait < capWait ? wait : capWait;
                continue;
            }

            best = i;
            bestTag = tag;
        }

        return best;
    }

    private bool CapAllows(string tenant, long bytes, long now, out TimeSpan wait)
    {
        wait = TimeSpan.Zero;
        var cap = _caps.Find(tenant);
        if (cap is null)
        {
            if (_capBuckets.Count > 0)
            {
                _capBuckets.Remove(tenant);
            }

            return true;
        }

        if (!_capBuckets.TryGetValue(tenant, out var bucket))
        {
            bucket = new TokenBucket(_time, cap.BytesPerSecond, CapBurst(cap.BytesPerSecond), startFull: false);
            _capBuckets.Add(tenant, bucket);
        }
        else if (bucket.BytesPerSecond != cap.BytesPerSecond)
        {
            bucket.SetRate(cap.BytesPerSecond, CapBurst(cap.BytesPerSecond));
        }

        wait = bucket.TimeUntil(bytes, now);
        if (wait == Timeout.InfiniteTimeSpan)
        {
            wait = TimeSpan.MaxValue; // a cap at rate zero: never, which must not compare as the shortest wait (-1 ms)
        }

        return wait == TimeSpan.Zero;
    }

    private double CapBurst(double bytesPerSecond) => Math.Max(1, bytesPerSecond * _burstSeconds);

    private void GrantLocked(TenantFlow flow, long bytes, bool viaFloor, long now)
    {
        var c = ClassOf(flow.Priority);
        _link.Take(bytes, now);
        // a class that borrows beyond its floor pays it from its floor bucket too, but keeps no more than one burst of debt
        c.FloorBucket.Take(bytes, now, viaFloor ? double.NegativeInfinity : -FloorBurst(c.Floor, _link.Burst));
        if (_capBuckets.Count > 0 && _capBuckets.TryGetValue(flow.Tenant, out var cap))
        {
            cap.Take(bytes, now);
        }

        var start = flow.StartTag(c.VirtualTime);
        c.VirtualTime = start;
        flow.FinishTag = start + (bytes / Math.Max(flow.Weight, 1e-9));
        flow.GrantedBytes += bytes;
        c.GrantedBytes += bytes;
        _granted += bytes;
        _metrics?.Granted(Link, flow.Priority, flow.Tenant, bytes);
    }

    private void CancelWaiter(Waiter waiter, CancellationToken token)
    {
        List<Waiter>? granted;
        lock (_lock)
        {
            if (waiter.Node is null)
            {
                return; // already granted
            }

            DequeueLocked(waiter);
            granted = PumpAndArmLocked();
        }

        waiter.Cancel(token);
        Complete(granted);
    }

    private void OnTimer()
    {
        List<Waiter>? granted;
        lock (_lock)
        {
            granted = PumpAndArmLocked();
        }

        Complete(granted);
    }

    private static void Complete(List<Waiter>? granted)
    {
        if (granted is null)
        {
            return;
        }

        foreach (var waiter in granted)
        {
            waiter.Grant();
        }
    }
}
