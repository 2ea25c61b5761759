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

    [Fact]
    public void Combine_JobsDataManagerKnows_UseItsFittingCheapestMoveAndTheRestStayMeasured()
    {
        var measured = new[]
        {
            new PlacementSuggestion("priced", "dcA", "dcB", 100, 0, 100, 100),
            new PlacementSuggestion("crowded", "dcA", "dcB", 90, 0, 90, 90),
            new PlacementSuggestion("unknown", "dcA", "dcB", 50, 10, 40, 40),
        };
        var cross = new Dictionary<string, long> { ["priced"] = 100, ["crowded"] = 90, ["unknown"] = 50 };
        JobMoves[] priced =
        [
            new("priced", "dcA", 120, [new MoveOption("dcB", -60, Fits: true), new MoveOption("dcC", -80, Fits: false)]),
            new("crowded", "dcA", 90, [new MoveOption("dcB", -500, Fits: false)]), // would save, but dcB is full
        ];

        var combined = PlacementModel.Combine(measured, cross, priced, TimeSpan.FromHours(12)).ToList();

        Assert.Equal(["priced", "unknown"], combined.Select(s => s.Job));
        var fromModel = combined[0];
        Assert.Equal(PlacementModel.FromDataManager, fromModel.Model);
        Assert.Equal("dcB", fromModel.SuggestedDatacenter); // dcC saves more but does not fit
        Assert.Equal(60, fromModel.SavingBytesPerDay);
        Assert.Equal(30, fromModel.SavingBytes); // half a day of it in a 12 h window
        Assert.Equal(70, fromModel.CrossBytesIfMoved);
        Assert.Equal(PlacementModel.Measured, combined[1].Model);
    }
}
