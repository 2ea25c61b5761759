namespace Unitization.Analytics.Queries;

internal sealed record SuggestionsReport(string Window, string Model, IReadOnlyList<PlacementSuggestion> Suggestions);
