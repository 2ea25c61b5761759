using System.ComponentModel.DataAnnotations;

namespace Unitization.Namespaces.Configuration;

/// <summary>One datacenter and its file system (configuration section <c>Datacenters:N</c>).</summary>
public sealed class DatacenterOptions
{
    [Required(AllowEmptyStrings = false)]
    [RegularExpression("^[A-Za-z0-9_-]{1,64}$", ErrorMessage = "Id must be 1-64 letters, digits, '_' or '-'.")]
    public string Id { get; set; } = string.Empty;

    /// <summary><c>local</c> (a directory with an edit log, the embedded default) or <c>webhdfs</c>.</summary>
    [Required]
    [RegularExpression("^(local|webhdfs)$", ErrorMessage = "Kind must be 'local' or 'webhdfs'.")]
    public string Kind { get; set; } = "local";

    /// <summary>For <c>local</c>: the directory holding the namespace (relative paths are against the data folder).</summary>
    public string? Root { get; set; }

    /// <summary>For <c>webhdfs</c>: the NameNode's HTTP address, e.g. <c>http://nn1.dcA:9870</c>.</summary>
    public Uri? WebHdfsUrl { get; set; }
}
