namespace Unitization.DataManager.Apply;

/// <summary>One change of an apply run: <c>pending</c>, <c>running</c>, <c>done</c> or <c>failed</c> (with the error), and its progress 0..1.</summary>
internal sealed record ApplyStep(PlacementChange Change, string Status, double Progress, string? Error);
