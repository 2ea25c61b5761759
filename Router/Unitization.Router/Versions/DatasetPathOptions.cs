namespace Unitization.Router.Versions;

/// <summary>
/// Maps a dataset to a warehouse path: datasets whose namespace starts with <see cref="NamespacePrefix"/> and whose
/// name is <c>database.table</c> live at <see cref="Template"/> with <c>{database}</c> and <c>{table}</c> filled in
/// (<c>{name}</c> is the whole name).
/// </summary>
public sealed class DatasetPathOptions
{
    public string NamespacePrefix { get; set; } = string.Empty;

    public string Template { get; set; } = string.Empty;

    /// <summary>What is wrong with the template, or null.</summary>
    public string? Validate() =>
        !Template.StartsWith('/') ? $"'{Template}' must be an absolute path template, e.g. /warehouse/{{database}}/{{table}}"
        : !Template.Contains("{table}", StringComparison.Ordinal) && !Template.Contains("{name}", StringComparison.Ordinal)
            ? $"'{Template}' must contain {{table}} or {{name}}"
        : null;

    /// <summary>The path of a dataset, or null when the namespace does not match or the name is not database.table.</summary>
    public string? PathOf(string datasetNamespace, string datasetName)
    {
        ArgumentNullException.ThrowIfNull(datasetNamespace);
        ArgumentNullException.ThrowIfNull(datasetName);
        if (!datasetNamespace.StartsWith(NamespacePrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var dot = datasetName.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 && Template.Contains("{table}", StringComparison.Ordinal))
        {
            return null;
        }

        var path = Template.Replace("{name}", datasetName, StringComparison.Ordinal);
        if (dot > 0)
        {
            path = path.Replace("{database}", datasetName[..dot], StringComparison.Ordinal)
                .Replace("{table}", datasetName[(dot + 1)..], StringComparison.Ordinal);
        }

        return path;
    }

    /// <summary>
    /// The dataset name (<c>database.table</c>, or the whole name for <c>{name}</c>) whose path is <paramref name="path"/>
    /// or a folder above it, read back through the template; null when the path does not fit it.
    /// </summary>
    public string? NameAt(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var pattern = new System.Text.StringBuilder("^");
        var rest = Template;
        while (rest.Length > 0)
        {
            var open = rest.IndexOf('{', StringComparison.Ordinal);
            var close = open < 0 ? -1 : rest.IndexOf('}', open);
            if (open < 0 || close < 0)
            {
                pattern.Append(System.Text.RegularExpressions.Regex.Escape(rest));
                break;
            }

            pattern.Append(System.Text.RegularExpressions.Regex.Escape(rest[..open]));
            pattern.Append(rest[(open + 1)..close] switch
            {
                "database" => "(?<database>[^/]+)",
                "table" => "(?<table>[^/]+)",
                "name" => "(?<name>.+?)",
                var other => System.Text.RegularExpressions.Regex.Escape("{" + other + "}"),
            });
            rest = rest[(close + 1)..];
        }

        pattern.Append("(?:/|$)");
        var match = System.Text.RegularExpressions.Regex.Match(path, pattern.ToString(), System.Text.RegularExpressions.RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        if (!match.Success)
        {
            return null;
        }

        return match.Groups["name"].Success ? match.Groups["name"].Value
            : match.Groups["database"].Success && match.Groups["table"].Success ? $"{match.Groups["database"].Value}.{match.Groups["table"].Value}"
            : null;
    }
}
