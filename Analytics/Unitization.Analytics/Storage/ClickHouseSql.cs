using System.Globalization;
using System.Text;

namespace Unitization.Analytics.Storage;

/// <summary>Literals for SQL text sent to ClickHouse (its quoting rules: backslash escapes inside single quotes).</summary>
internal static class ClickHouseSql
{
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var builder = new StringBuilder(value.Length + 2).Append('\'');
        foreach (var c in value)
        {
            switch (c)
            {
                case '\'':
                    builder.Append("\\'");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                case '\0':
                    builder.Append("\\0");
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }

        return builder.Append('\'').ToString();
    }

    /// <summary>A DateTime literal in UTC (the server's timezone is UTC; seconds resolution).</summary>
    public static string DateTime(DateTimeOffset time) =>
        "toDateTime(" + Quote(time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)) + ", 'UTC')";

    /// <summary>A database or table name: letters, digits and underscores only.</summary>
    public static string Identifier(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            throw new ArgumentException($"'{name}' is not a valid ClickHouse name (letters, digits, underscore).", nameof(name));
        }

        return name;
    }
}
