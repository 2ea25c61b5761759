using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Unitization.ApiClient.Failover;

/// <summary>
/// Reads a <see cref="UrlList"/> key after binding, in either form and through <see cref="UrlList.Parse"/>, for what
/// the binder gets wrong: a file's <c>"Key": null</c> (or <c>""</c>, <c>[]</c>; the shipped configuration has such
/// defaults) is an empty value, and an empty value hides the array another source gives
/// (<c>UNITIZATION_Section__Key__0</c>, <c>__1</c>, as a fleet's environment does), so the list stayed empty and the
/// process ran as if no instance were named; and an array's entries are bound as URIs, a relative one ("t2") too,
/// which later failed as "This operation is not supported for a relative URI".
/// </summary>
public static class UrlListConfiguration
{
    /// <summary>After binding, reads the list again from <paramref name="key"/> of <paramref name="section"/> when the key is given there.</summary>
    public static OptionsBuilder<TOptions> ReadUrlList<TOptions>(this OptionsBuilder<TOptions> builder, IConfiguration section, string key,
        Action<TOptions, UrlList> set)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(set);
        return builder.PostConfigure(o =>
        {
            if (section.GetSection(key).Exists())
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
