using System.Globalization;
using System.Text.Json;

namespace Unitization.Analytics.Queries;

/// <summary>Reads cells of ClickHouse's <c>FORMAT JSON</c> (64-bit integers arrive quoted, DateTime as text in UTC).</summary>
internal static class JsonCell
{
    public static long Int64(JsonElement row, string column)
    {
        var cell = row.GetProperty(column);
        return cell.ValueKind == JsonValueKind.String
            ? (long)ulong.Parse(cell.GetString()!, NumberStyles.None, CultureInfo.InvariantCulture)
            : cell.GetInt64();
    }

    public static double Double(JsonElement cell) => cell.ValueKind switch
    {
        JsonValueKind.String => double.Parse(cell.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture),
        JsonValueKind.Number => cell.GetDouble(),
        _ => double.NaN,
    };

    public static double Double(JsonElement row, string column) => Double(row.GetProperty(column));

    public static string Text(JsonElement row, string column) => row.GetProperty(column).GetString() ?? string.Empty;

    public static DateTimeOffset Time(JsonElement row, string column) =>
        DateTimeOffset.ParseExact(Text(row, column), "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
