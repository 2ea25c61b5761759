using System.Text.Json;

namespace Unitization.Analytics.Api;

/// <summary>The Throttle role's state as Analytics shows it: raw state, waits summed by priority class, and the job caps.</summary>
internal sealed record ThrottleView(bool Available, string? Problem, JsonElement? State, IReadOnlyList<PriorityWaiting> WaitingByPriority, JsonElement? Caps);
