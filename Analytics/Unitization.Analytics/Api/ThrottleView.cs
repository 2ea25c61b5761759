using System.Text.Json;
using Unitization.Analytics.Throttling;

namespace Unitization.Analytics.Api;

/// <summary>
/// The Throttle role's state as Analytics shows it: raw state, each link's rate, bytes granted and waiting by priority
/// class, and the job caps.
/// </summary>
internal sealed record ThrottleView(bool Available, string? Problem, JsonElement? State, IReadOnlyList<LinkRate> LinkRates, IReadOnlyList<ThrottleClass> Classes, JsonElement? Caps);
