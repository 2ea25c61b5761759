using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Unitization.ApiClient.Failover;

/// <summary>
/// Reads a <see cref="UrlList"/> key after binding, for the case the binder misses: a file's <c>"Key": null</c> (or
/// <c>""</c>, <c>[]</c>; the shipped configuration has such defaults) is an empty value, and an empty value hides the
/// array another source gives (<c>UNITIZATION_Section__Key__0</c>, <c>__1</c>, as a fleet's environment does), so the
/// list stayed empty and the process ran as if no instance were named.
/// </summary>
public static class UrlListConfiguration
{
    /// <summary>After binding, fills the list from <paramref name="key"/> of <paramref name="section"/> when binding left it empty.</summary>
    public static OptionsBuilder<TOptions> ReadUrlList<TOptions>(this OptionsBuilder<TOptions> builder, IConfiguration section, string key,
        Func<TOptions, UrlList> get, Action<TOptions, UrlList> set)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(get);
        ArgumentNullException.ThrowIfNull(set);
        return builder.PostConfigure(o =>
        {
            if (get(o).Count == 0)
            {
                set(o, Read(section, key));
            }
        });
    }

    /// <summary>The URLs <paramref name="key"/> names: its value when not blank (comma-separated), else its array's items in order.</summary>
    /// <exception cref="InvalidOperationException">An entry is not an absolute URL; the message names the key's path.</exception>
    public static UrlList Read(IConfiguration section, string key)
    {
        ArgumentNullException.ThrowIfNull(section);
        var entry = section.GetSection(key);
        try
        {
            return UrlList.Parse(string.IsNullOrWhiteSpace(entry.Value) ? string.Join(',', entry.GetChildren().Select(c => c.Value)) : entry.Value);
        }
        catch (FormatException ex)
        {
            throw new InvalidOperationException($"{entry.Path}: {ex.Message}", ex);
        }
    }
}
