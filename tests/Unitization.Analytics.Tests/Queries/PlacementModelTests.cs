using Unitization.Analytics.Queries;

namespace Unitization.Analytics.Tests.Queries;

public sealed class PlacementModelTests
{
    [Fact]
    public void Suggest_JobReadingMostlyFromOtherDatacenter_SuggestsMoveWithSaving()
    {
        JobFlow[] flows =
        [
            new("etl", "dcA", "dcB", 900), // reads 900 from dcB while running in dcA
            new("etl", "dcA", "dcA", 100), // and 100 locally
            new("local", "dcA", "dcA", 5000),
        ];

        var suggestion = Assert.Single(PlacementModel.Suggest(flows, ["dcA", "dcB"], TimeSpan.FromHours(12)));

        Assert.Equal(new PlacementSuggestion("etl", "dcA", "dcB", 900, 100, 800, 1600), suggestion);
    }

    [Fact]
    public void Suggest_JobAlreadyWhereItsDataIs_NoSuggestion()
    {
        JobFlow[] flows = [new("etl", "dcA", "dcB", 100), new("etl", "dcA", "dcA", 900)];
        Assert.Empty(PlacementModel.Suggest(flows, ["dcA", "dcB"], TimeSpan.FromDays(1)));
    }

    [Fact]
    public void Suggest_SeveralJobs_LargestSavingFirst()
    {
        JobFlow[] flows = [new("small", "dcA", "dcB", 10), new("big", "dcB", "dcA", 1000)];
        Assert.Equal(["big", "small"], PlacementModel.Suggest(flows, ["dcA", "dcB"], TimeSpan.FromDays(1)).Select(s => s.Job));
    }
}
