using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Unitization.DataManager.Rules;
using Unitization.Throttle.Budget;

namespace Unitization.Replication.Rules;

/// <summary>
/// The current replication rules for Hive tables, by <c>db.table</c>, refreshed from the rule source at most every
/// <c>RulesRefreshInterval</c>, and at once when DataManager announces new rules on the change feed
/// (<see cref="ReloadAsync"/>); when the source fails, the last good rules stay in force.
/// </summary>
internal sealed class RuleBook(IReplicationRuleSource source, IOptions<ReplicationOptions> options, TimeProvider time, ILogger<RuleBook> logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IReadOnlyDictionary<string, ReplicationRule> _rules = new Dictionary<string, ReplicationRule>();
    private DateTimeOffset _loadedAt = DateTimeOffset.MinValue;
    private bool _loaded;

    public async Task<IReadOnlyDictionary<string, ReplicationRule>> GetAsync(CancellationToken cancellationToken)
    {
        if (_loaded && time.GetUtcNow() - _loadedAt < options.Value.RulesRefreshInterval)
        {
            return _rules;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_loaded && time.GetUtcNow() - _loadedAt < options.Value.RulesRefreshInterval)
            {
                return _rules;
            }

            try
            {
                var rules = await source.GetRulesAsync(cancellationToken).ConfigureAwait(false);
                _rules = Merge(rules, options.Value.PinnedRules)
                    .Where(r => r.DatasetNamespace.StartsWith("hive", StringComparison.OrdinalIgnoreCase))
                    .GroupBy(r => r.DatasetName.ToLowerInvariant(), StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
                _loaded = true;
            }
            catch (Exception ex) when (IsUnavailable(ex) && !cancellationToken.IsCancellationRequested)
            {
                ReplicationLog.RulesUnavailable(logger, ex.Message, _rules.Count);
                if (!_loaded)
                {
                    throw;
                }
            }

            _loadedAt = time.GetUtcNow();
            return _rules;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Reads the rules from the source now (new rules were announced); the last good ones stay when it fails.</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        _loadedAt = DateTimeOffset.MinValue;
        try
        {
            await GetAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsUnavailable(ex) && !cancellationToken.IsCancellationRequested)
        {
            // not loaded yet and the source is away: the next lookup tries again
        }
    }

    /// <summary>What a rule source that cannot answer throws (the first load then fails with it; later ones keep the last rules).</summary>
    public static bool IsUnavailable(Exception ex) =>
        ex is HttpRequestException or IOException or InvalidDataException or System.Text.Json.JsonException or TaskCanceledException;

    public async Task<ReplicationRule?> FindAsync(string db, string table, CancellationToken cancellationToken) =>
        (await GetAsync(cancellationToken).ConfigureAwait(false)).GetValueOrDefault($"{db.ToLowerInvariant()}.{table.ToLowerInvariant()}");

    /// <summary>
    /// The plan's rules with the operator's pinned rules: a pinned dataset the plan also replicates keeps the plan's
    /// primary, gets the union of both target lists (less the primary) and the higher priority; a pinned dataset the
    /// plan does not replicate becomes a rule of its own. Datasets match by namespace and case-insensitive name.
    /// </summary>
    internal static IReadOnlyList<ReplicationRule> Merge(IReadOnlyList<ReplicationRule> plan, IEnumerable<PinnedRule> pinned)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(pinned);
        var merged = plan.ToList();
        foreach (var pin in pinned)
        {
            var i = merged.FindIndex(r =>
                string.Equals(r.DatasetNamespace, pin.DatasetNamespace, StringComparison.OrdinalIgnoreCase)
                && string.Equals(r.DatasetName, pin.DatasetName, StringComparison.OrdinalIgnoreCase));
            if (i < 0)
            {
                merged.Add(new ReplicationRule(pin.DatasetNamespace, pin.DatasetName, pin.Primary, pin.Targets.Where(t => t != pin.Primary).Distinct().ToList(), pin.Priority, 0));
                continue;
            }

            var rule = merged[i];
            merged[i] = rule with
            {
                Targets = rule.Targets.Concat(pin.Targets).Where(t => t != rule.Primary).Distinct().ToList(),
                Priority = Math.Max(rule.Priority, pin.Priority),
            };
        }

        return merged;
    }

    /// <summary>A rule's priority as a throttle class: 2 and above High, 1 Normal, else Low.</summary>
    public static TrafficPriority PriorityOf(ReplicationRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return rule.Priority >= 2 ? TrafficPriority.High : rule.Priority == 1 ? TrafficPriority.Normal : TrafficPriority.Low;
    }
}
