namespace Unitization.Replication.Hosting;

/// <summary>Body of <c>POST /api/v1/replication/dead-letters/replay</c>: <c>{"ids":["0-12","0-13"]}</c> or <c>{"all":true}</c>.</summary>
public sealed record ReplayRequest(IReadOnlyList<string>? Ids, bool? All)
{
    /// <summary>A dead letter id: <c>partition-offset</c> of the dead-letter topic.</summary>
    public static bool IsId(string? id) =>
        id is { Length: > 2 and < 40 } && id.Split('-') is [var partition, var offset]
        && int.TryParse(partition, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _)
        && long.TryParse(offset, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _);
}
