using Unitization.Throttle.Budget;
using Unitization.Throttle.Configuration;

namespace Unitization.Throttle.Simulation;

/// <summary>
/// Replays saturating streams through the real <see cref="LocalBandwidthBudget"/> under simulated time: event by
/// event, each stream asks for its next chunk the moment the previous one is granted. Used for the accuracy and
/// fairness figures (<c>unitization bench throttle</c>, the benchmarks) and by the tests.
/// </summary>
internal static class ThrottleSimulation
{
    public static readonly LinkId Link = new("dcA", "dcB");

    public static SimulationResult Run(
        double bytesPerSecond,
        IReadOnlyList<SimulatedStream> streams,
        TimeSpan duration,
        ClassFloorOptions? floors = null,
        double? burstBytes = null)
    {
        ArgumentNullException.ThrowIfNull(streams);
        var clock = new ManualClock();
        var options = new ThrottleOptions
        {
            Links = [new LinkOptions { From = Link.From, To = Link.To, BytesPerSecond = bytesPerSecond, BurstBytes = burstBytes }],
            Floors = floors ?? new ClassFloorOptions(),
        };
        foreach (var s in streams)
        {
            options.TenantWeights[s.Tenant] = s.Weight;
        }

        using var budget = new LocalBandwidthBudget(options, clock, pumpOnTimer: false);
        var scheduler = budget.Find(Link)!;
        var delivered = new long[streams.Count];
        long grants = 0;
        for (var i = 0; i < streams.Count; i++)
        {
            var index = i;
            var stream = streams[i];
            void OnGrant(Scheduling.Waiter waiter)
            {
                grants++;
                delivered[index] += waiter.Bytes;
                scheduler.Submit(stream.Priority, stream.Tenant, stream.ChunkBytes, OnGrant);
            }

            scheduler.Submit(stream.Priority, stream.Tenant, stream.ChunkBytes, OnGrant);
        }

        while (true)
        {
            var before = grants;
            var next = scheduler.Pump();
            if (grants != before)
            {
                continue; // the granted streams queued their next chunk after the pump looked
            }

            if (next is null || clock.Elapsed + next.Value > duration)
            {
                break;
            }

            clock.Advance(next.Value);
        }

        return new SimulationResult(duration, bytesPerSecond, delivered, grants);
    }

    /// <summary>A chunk size that keeps a simulation near 10,000 grants per simulated second, between 4 KiB and 1 MiB.</summary>
    public static long ChunkFor(double bytesPerSecond) => (long)Math.Clamp(bytesPerSecond / 10_000, 4096, 1 << 20);
}
