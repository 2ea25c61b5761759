using System.ComponentModel.DataAnnotations;

namespace Unitization.Host.Http;

/// <summary>
/// Section <c>Http</c>: limits every role's HTTP endpoints share. An endpoint that takes more (lineage, traffic records,
/// WebHDFS CREATE) declares its own body limit; the rest take at most <see cref="MaxRequestBodyBytes"/>.
/// </summary>
public sealed class HttpLimitsOptions
{
    public const string SectionName = "Http";

    /// <summary>The largest request body an endpoint takes unless it declares its own limit (413 beyond it).</summary>
    [Range(1024L, 1L << 30)]
    public long MaxRequestBodyBytes { get; set; } = 1 << 20;

    /// <summary>The longest string a request may carry in a route, query or JSON field (HDFS's longest path is 8000 characters).</summary>
    [Range(1, 1 << 20)]
    public int MaxStringLength { get; set; } = 8000;
}
