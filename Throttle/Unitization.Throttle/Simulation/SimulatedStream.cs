using Unitization.Throttle.Budget;

namespace Unitization.Throttle.Simulation;

/// <summary>A stream in a simulation: always wants the link, one chunk at a time, for one tenant in one class.</summary>
internal sealed record SimulatedStream(string Tenant, TrafficPriority Priority, long ChunkBytes, double Weight = 1);
