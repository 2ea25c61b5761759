using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Unitization.DataManager.Rules;

namespace Unitization.Replication.Rules;

/// <summary>DataManager's rules over HTTP, for a replicator process without the datamanager role.</summary>
internal sealed class HttpReplicationRuleSource(HttpClient http, IOptions<ReplicationOptions> options) : IReplicationRuleSource
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<IReadOnlyList<ReplicationRule>> GetRulesAsync(CancellationToken cancellationToken)
    {
        var baseUrl = options.Value.RulesUrl
            ?? throw new InvalidOperationException("No replication rules: set Replication:RulesUrl to DataManager's URL, or run this process with the datamanager role.");
        var url = new Uri(baseUrl, "api/v1/replication/rules");
        return await http.GetFromJsonAsync<List<ReplicationRule>>(url, Json, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException($"GET {url} returned null instead of a list of rules.");
    }
}
