using System.ComponentModel.DataAnnotations;
using Unitization.Router.Addresses;
using Unitization.Router.Mounts;
using Unitization.Router.Security;
using Unitization.Router.Versions;

namespace Unitization.Router;

/// <summary>The <c>Router</c> configuration section: mounts, client networks per datacenter, proxies, dataset paths.</summary>
public sealed class RouterOptions : IValidatableObject
{
    public const string SectionName = "Router";

    /// <summary>Where a client whose address no network holds is placed.</summary>
    [Required(AllowEmptyStrings = false)]
    public string DefaultDatacenter { get; set; } = string.Empty;

    /// <summary>Datacenter → client networks (CIDR, IPv4 or IPv6); the longest prefix wins.</summary>
    public Dictionary<string, List<string>> ClientNetworks { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Networks of reverse proxies whose <c>X-Forwarded-For</c> is believed.</summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>The mounts from configuration (the admin API adds and overrides mounts in the state store).</summary>
    public List<MountOptions> Mounts { get; set; } = [];

    /// <summary>How a dataset (<c>hive://…</c>, <c>db.table</c>) maps to a warehouse path, for the freshness port.</summary>
    public List<DatasetPathOptions> DatasetPaths { get; set; } =
        [new DatasetPathOptions { NamespacePrefix = "hive://", Template = "/warehouse/{database}/{table}" }];

    /// <summary>How often replica versions and API mounts are re-read from the state store.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00", ErrorMessage = "RefreshInterval must be between 50 ms and 1 hour.")]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The oldest replica versions a router resolves by: when re-reading them from the state store has not succeeded for
    /// this long, it drops them and sends every read to the primary until a refresh succeeds (a replicator replacing a
    /// replica on HDFS withdraws its record, then waits <c>Replication:ReplicaSwapGrace</c>, which must exceed this).
    /// At least twice <see cref="RefreshInterval"/>; a refresh attempt is cut off after half their difference (1 s by
    /// default), so a state store that takes longer to list the records needs a larger value (and a larger grace).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "02:00:00", ErrorMessage = "ReplicaRecordsMaxAge must be between 100 ms and 2 hours.")]
    public TimeSpan ReplicaRecordsMaxAge { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How often each namespace's version checkpoint is saved (when its edit log moved), and on stop.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "VersionCheckpointInterval must be between 1 second and 1 hour.")]
    public TimeSpan VersionCheckpointInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a read may wait for the router to catch up with an HDFS primary (learn its journal's last written txid
    /// and follow its edits that far) before it could be served from a replica; past it the read goes to the primary.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00", ErrorMessage = "PrimaryCatchUpTimeout must be between 0 and 1 minute.")]
    public TimeSpan PrimaryCatchUpTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Bytes per read (and per throttle grant) when the gateway streams a file.</summary>
    [Range(4096, 16 * 1024 * 1024)]
    public int GatewayChunkBytes { get; set; } = 1024 * 1024;

    /// <summary>WebHDFS authentication, delegation tokens, proxy users and write ACLs (<c>Router:WebHdfs</c>).</summary>
    public WebHdfsSecurityOptions WebHdfs { get; set; } = new();

    /// <summary>
    /// The gateway stands in for an HDFS NameNode's WebHDFS (<c>infra/up.sh --hdfs</c>): the paths of Unitization's internal
    /// folder (<c>/.unitization</c>) are served like any other, as HDFS serves them to the replicator of a Unitization
    /// that writes into it, instead of being refused as no user's path. Never for a gateway users read through.
    /// </summary>
    public bool NameNodeStandIn { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ReplicaRecordsMaxAge < RefreshInterval * 2)
        {
            yield return new ValidationResult(
                $"ReplicaRecordsMaxAge ({ReplicaRecordsMaxAge}) must be at least twice RefreshInterval ({RefreshInterval}).", [nameof(ReplicaRecordsMaxAge)]);
        }

        var webHdfsResults = new List<ValidationResult>();
        Validator.TryValidateObject(WebHdfs, new ValidationContext(WebHdfs), webHdfsResults, validateAllProperties: true);
        foreach (var result in webHdfsResults)
        {
            yield return new ValidationResult(result.ErrorMessage, result.MemberNames.Select(m => $"{nameof(WebHdfs)}:{m}").ToList());
        }

        ClientNetworkMap.Build(ClientNetworks, DefaultDatacenter, out var networkErrors);
        foreach (var (key, error) in networkErrors)
        {
            yield return new ValidationResult(error, [$"{nameof(ClientNetworks)}:{key}"]);
        }

        TrustedProxySet.Build(TrustedProxies, out var proxyErrors);
        foreach (var (index, error) in proxyErrors)
        {
            yield return new ValidationResult(error, [$"{nameof(TrustedProxies)}:{index}"]);
        }

        var paths = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Mounts.Count; i++)
        {
            var errors = new List<string>();
            // datacenter names are checked against the catalog when the mount table is built
            var mount = Mounts[i].ToMount("config", datacenters: null, errors);
            foreach (var error in errors)
            {
                var colon = error.IndexOf(": ", StringComparison.Ordinal);
                yield return new ValidationResult(error[(colon + 2)..], [$"{nameof(Mounts)}:{i}:{error[..colon]}"]);
            }

            if (mount is not null && !paths.Add(mount.Path))
            {
                yield return new ValidationResult($"mount '{mount.Path}' is defined twice", [$"{nameof(Mounts)}:{i}:Path"]);
            }
        }

        for (var i = 0; i < DatasetPaths.Count; i++)
        {
            if (DatasetPaths[i].Validate() is { } error)
            {
                yield return new ValidationResult(error, [$"{nameof(DatasetPaths)}:{i}:Template"]);
            }
        }
    }
}
