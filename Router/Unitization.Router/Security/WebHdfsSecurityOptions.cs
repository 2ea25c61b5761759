using System.ComponentModel.DataAnnotations;

namespace Unitization.Router.Security;

/// <summary>
/// <c>Router:WebHdfs</c>: who the gateway believes and who may write where. Secure by default: a caller proves who it
/// is (the service's authentication, or a WebHDFS delegation token); <c>user.name</c> is honoured only when
/// <see cref="Insecure"/> is set (HDFS's <c>hadoop.security.authentication=simple</c>).
/// </summary>
public sealed class WebHdfsSecurityOptions : IValidatableObject
{
    /// <summary>Honour <c>user.name</c> (anyone may claim any name). For demos and closed test networks only.</summary>
    public bool Insecure { get; set; }

    /// <summary>Who an insecure call without <c>user.name</c> is (HDFS's <c>hadoop.http.staticuser.user</c>).</summary>
    [Required(AllowEmptyStrings = false)]
    public string AnonymousUser { get; set; } = "dr.who";

    /// <summary>A delegation token's whole life (<c>dfs.namenode.delegation.token.max-lifetime</c>).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00", ErrorMessage = "TokenMaxLifetime must be between 1 minute and 365 days.")]
    public TimeSpan TokenMaxLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long an issue or a renewal keeps a token valid (<c>dfs.namenode.delegation.token.renew-interval</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00", ErrorMessage = "TokenRenewInterval must be between 1 second and 365 days.")]
    public TimeSpan TokenRenewInterval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How often a new master key signs new tokens (<c>dfs.namenode.delegation.key.update-interval</c>).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00", ErrorMessage = "KeyUpdateInterval must be between 1 minute and 365 days.")]
    public TimeSpan KeyUpdateInterval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Who may act for whom (<c>doas</c>), by the real user's short name, as <c>hadoop.proxyuser.NAME.users</c>,
    /// <c>.groups</c> and <c>.hosts</c> configure it.
    /// </summary>
    public Dictionary<string, ProxyUserOptions> ProxyUsers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>User short name → groups, for proxy-user and write-ACL group rules (a static group mapping).</summary>
    public Dictionary<string, List<string>> UserGroups { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Who may write (CREATE, MKDIRS, RENAME, DELETE, ...) under a path prefix; the longest prefix wins; a path no entry covers is written by admins only.</summary>
    public List<WriteAclOptions> WriteAcl { get; set; } = [];

    /// <summary>Principals (full or short names) that may write into replica (read-only) mounts besides admins: the replicator's.</summary>
    public List<string> ReplicaWriters { get; set; } = ["replicator"];

    /// <summary>Gateways (principal full or short names) trusted to name the job a read is billed to (X-Job-Id, ?job=, X-Caller-Context).</summary>
    public List<string> JobGateways { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, proxy) in ProxyUsers)
        {
            foreach (var (index, error) in proxy.HostErrors())
            {
                yield return new ValidationResult(error, [$"{nameof(ProxyUsers)}:{name}:Hosts:{index}"]);
            }
        }

        for (var i = 0; i < WriteAcl.Count; i++)
        {
            if (!RouterPath.TryNormalize(WriteAcl[i].Path, out _, out var error))
            {
                yield return new ValidationResult($"Path: {error}", [$"{nameof(WriteAcl)}:{i}:Path"]);
            }
        }
    }
}
