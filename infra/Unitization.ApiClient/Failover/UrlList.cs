using System.ComponentModel;

namespace Unitization.ApiClient.Failover;

/// <summary>
/// A configuration value naming one service by the URLs of its instances, bound from either form: one string
/// (<c>"http://dm1:8080"</c>, or several separated by commas as <c>hive.metastore.uris</c> does) or an array
/// (<c>["http://dm1:8080", "http://dm2:8080"]</c>, <c>Key:0</c>, <c>Key:1</c>).
/// </summary>
[TypeConverter(typeof(UrlListConverter))]
public sealed class UrlList : List<Uri>
{
    public UrlList()
    {
    }

    public UrlList(IEnumerable<Uri> urls)
        : base(urls)
    {
    }

    /// <summary>The URLs of a comma-separated string; a blank string is an empty list.</summary>
    /// <exception cref="FormatException">An entry is not an absolute URL.</exception>
    public static UrlList Parse(string? value)
    {
        var list = new UrlList();
        foreach (var entry in (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!Uri.TryCreate(entry, UriKind.Absolute, out var url))
            {
                throw new FormatException($"'{entry}' is not an absolute URL (expected e.g. http://host:8080, several separated by commas).");
            }

            list.Add(url);
        }

        return list;
    }

    public override string ToString() => string.Join(",", this.Select(u => u.ToString()));
}
