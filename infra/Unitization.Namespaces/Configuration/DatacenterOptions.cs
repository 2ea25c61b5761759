using System.ComponentModel.DataAnnotations;

namespace Unitization.Namespaces.Configuration;

/// <summary>One datacenter and its file system (configuration section <c>Datacenters:N</c>).</summary>
public sealed class DatacenterOptions
{
    [Required(AllowEmptyStrings = false)]
    [RegularExpression("^[A-Za-z0-9_-]{1,64}$", ErrorMessage = "Id must be 1-64 letters, digits, '_' or '-'.")]
    public string Id { get; set; } = string.Empty;

    /// <summary>
    /// <c>local</c> (a directory with an edit log, the embedded default) or <c>hdfs</c> (HDFS over WebHDFS, versions
    /// from the NameNode's edit log through its JournalNodes); <c>webhdfs</c> is an accepted alias of <c>hdfs</c>.
    /// </summary>
    [Required]
    [RegularExpression("^(local|hdfs|webhdfs)$", ErrorMessage = "Kind must be 'local' or 'hdfs' ('webhdfs' is an alias of 'hdfs').")]
    public string Kind { get; set; } = "local";

    /// <summary>For <c>local</c>: the directory holding the namespace (relative paths are against the data folder).</summary>
    public string? Root { get; set; }

    /// <summary>
    /// For <c>local</c>: <c>write</c> or <c>follow</c> for this datacenter only, instead of the process's
    /// <c>NamespaceAccess</c>; null: that setting. A replicator that only reads a primary another process writes (the
    /// demo's HMS workload, as Hive writes a primary NameNode) follows it and writes the replicas.
    /// </summary>
    [RegularExpression("^(write|follow)$", ErrorMessage = "Access must be 'write' or 'follow' (or absent: NamespaceAccess).")]
    public string? Access { get; set; }

    /// <summary>For <c>hdfs</c>: one NameNode's WebHDFS address, e.g. <c>http://nn1.dcA:9870</c> (the same as a one-entry <see cref="NameNodes"/>).</summary>
    public Uri? WebHdfsUrl { get; set; }

    /// <summary>For <c>hdfs</c>: the WebHDFS addresses of the NameNodes (HA: tried in order, failing over), or one HttpFS.</summary>
    public List<Uri> NameNodes { get; set; } = [];

    /// <summary>For <c>hdfs</c>: how requests to the NameNodes authenticate.</summary>
    public HdfsAuthOptions Auth { get; set; } = new();

    /// <summary>For <c>hdfs</c>: where the NameNode's edit log is read from (the namespace's versions).</summary>
    public HdfsJournalOptions Journal { get; set; } = new();

    /// <summary>The NameNode addresses of an <c>hdfs</c> datacenter: <see cref="NameNodes"/>, then <see cref="WebHdfsUrl"/> when not among them.</summary>
    public IReadOnlyList<Uri> NameNodeUrls() =>
        WebHdfsUrl is null || NameNodes.Contains(WebHdfsUrl) ? NameNodes : [.. NameNodes, WebHdfsUrl];

    /// <summary>Whether <see cref="Kind"/> names an HDFS namespace (<c>hdfs</c> or its alias <c>webhdfs</c>).</summary>
    public bool IsHdfs => Kind is "hdfs" or "webhdfs";
}
