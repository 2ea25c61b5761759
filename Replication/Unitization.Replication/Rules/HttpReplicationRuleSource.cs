using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Unitization.ApiClient.Failover;
using Unitization.DataManager.Rules;

namespace Unitization.Replication.Rules;

/// <summary>
/// DataManager's rules over HTTP, for a replicator process without the datamanager role: <c>GET api/v1/replication/rules</c>
/// of one of <c>Replication:RulesUrl</c>'s instances, failing over to the next (<see cref="FailoverEndpoints"/>).
/// </summary>
internal sealed class HttpReplicationRuleSource : IReplicationRuleSource
{
    private const string Setting = $"{ReplicationOptions.SectionName}:{nameof(ReplicationOptions.RulesUrl)}";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly HttpClient _http;
    private readonly FailoverEndpoints? _dataManagers;

    public HttpReplicationRuleSource(HttpClient http, IOptions<ReplicationOptions> options, TimeProvider time)
    {
        _http = http;
        var value = options.Value;
        _dataManagers = value.RulesUrl.Count == 0 ? null : new FailoverEndpoints(value.RulesUrl, Setting, value.RulesTimeout, time);
    }

    public async Task<IReadOnlyList<ReplicationRule>> GetRulesAsync(CancellationToken cancellationToken)
    {
        if (_dataManagers is null)
        {
            throw new InvalidOperationException($"No replication rules: set {Setting} to DataManager's URL (or its instances' URLs), or run this process with the datamanager role.");
        }

        return await _dataManagers.GetAsync(_http, "api/v1/replication/rules", ReadAsync, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<ReplicationRule>> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        await response.Content.ReadFromJsonAsync<List<ReplicationRule>>(Json, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException($"GET {response.RequestMessage?.RequestUri} returned null instead of a list of rules.");
}
