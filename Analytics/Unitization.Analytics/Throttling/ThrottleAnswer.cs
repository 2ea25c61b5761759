using System.Text.Json;

namespace Unitization.Analytics.Throttling;

/// <summary>What the Throttle API said: its JSON when it answered, else why not (a sentence for the dashboard).</summary>
internal sealed record ThrottleAnswer(bool Ok, int Status, JsonElement? Body, string? Problem);
