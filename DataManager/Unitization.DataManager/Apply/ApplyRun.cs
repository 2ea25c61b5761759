namespace Unitization.DataManager.Apply;

/// <summary>
/// An apply as <c>GET /api/v1/placement/apply</c> shows it: <see cref="State"/> <c>running</c>, <c>done</c> or
/// <c>failed</c> (some change failed; the others ran), <see cref="Progress"/> 0..1 weighted by bytes, each step.
/// </summary>
internal sealed record ApplyRun(
    long Id,
    long PlanVersion,
    string State,
    double Progress,
    IReadOnlyList<ApplyStep> Steps,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    string? Error);
