namespace Unitization.DataManager.Apply;

/// <summary>
/// <c>POST /api/v1/placement/apply</c>: the ids of the changes to apply (from <c>GET /api/v1/placement/changes</c>;
/// none: all of them), and <see cref="DryRun"/> to see what would run without running it.
/// </summary>
internal sealed record ApplyRequest(IReadOnlyList<string>? Changes, bool? DryRun);
