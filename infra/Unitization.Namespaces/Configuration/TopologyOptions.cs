using System.ComponentModel.DataAnnotations;

namespace Unitization.Namespaces.Configuration;

/// <summary>The datacenters of the deployment (configuration root keys <c>DataFolder</c> and <c>Datacenters</c>).</summary>
public sealed class TopologyOptions : IValidatableObject
{
    /// <summary>Where embedded state lives (namespaces, SQLite file, broker address); relative to the working directory.</summary>
    [Required(AllowEmptyStrings = false)]
    public string DataFolder { get; set; } = "data";

    /// <summary>
    /// How this process opens local namespaces: <c>write</c> (it may write: takes each namespace's writer lock, waiting
    /// while another process holds it), <c>follow</c> (read-only: tails the edit logs as a standby NameNode does, takes
    /// no lock), or <c>auto</c> (the default: <c>follow</c> for a process whose roles never write, <c>write</c> otherwise).
    /// </summary>
    [RegularExpression("^(auto|write|follow)$", ErrorMessage = "NamespaceAccess must be 'auto', 'write' or 'follow'.")]
    public string NamespaceAccess { get; set; } = "auto";

    [MinLength(1, ErrorMessage = "At least one datacenter must be configured.")]
    public List<DatacenterOptions> Datacenters { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Datacenters.Count; i++)
        {
            var dc = Datacenters[i];
            var key = $"Datacenters:{i}";
            var context = new ValidationContext(dc);
            var results = new List<ValidationResult>();
            if (!Validator.TryValidateObject(dc, context, results, validateAllProperties: true))
            {
                foreach (var r in results)
                {
                    yield return new ValidationResult(r.ErrorMessage, r.MemberNames.Select(m => $"{key}:{m}").ToArray());
                }
            }

            if (!seen.Add(dc.Id))
            {
                yield return new ValidationResult($"Datacenter id '{dc.Id}' appears twice.", [$"{key}:Id"]);
            }

            if (dc.Kind == "local" && string.IsNullOrWhiteSpace(dc.Root))
            {
                yield return new ValidationResult("A local namespace needs Root.", [$"{key}:Root"]);
            }

            if (dc.IsHdfs)
            {
                foreach (var problem in HdfsValidation.Validate(dc, key))
                {
                    yield return problem;
                }
            }
        }
    }

    /// <summary>Resolves a path from configuration against the data folder (absolute paths stay as they are).</summary>
    public string ResolvePath(string path) => Path.GetFullPath(Path.Combine(DataFolder, path));
}
