using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Unitization.Throttle.Budget;
using Unitization.Throttle.Configuration;
using Unitization.Throttle.Leases;
using Unitization.Throttle.Telemetry;

namespace Unitization.Throttle.Client;

/// <summary>
/// The budget of a process that is not the <c>throttle</c> role: it spends only leased bytes, renewing ahead of need
/// (when what it holds drops below <see cref="ThrottleOptions.RenewBelow"/> of a lease). When the service cannot be
/// reached it spends from a local budget at <see cref="ThrottleOptions.FallbackShare"/> of each link's rate, and tries
/// the service again every <see cref="ThrottleOptions.RetryInterval"/>; when it answers, leases take over again.
/// </summary>
internal sealed class LeasedBandwidthBudget : IBandwidthBudget, IDisposable
{
    public const string LeasesPath = "api/v1/throttle/leases";

    private readonly HttpClient _http;
    private readonly Uri _leases;
    private readonly ThrottleOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ThrottleMetrics? _metrics;
    private readonly LocalBandwidthBudget _fallback;
    private readonly Dictionary<LinkId, LinkOptions> _links;
    private readonly ConcurrentDictionary<(LinkId, TrafficPriority, string), LeaseAccount> _accounts = new();
    private readonly CancellationTokenSource _disposed = new();
    private readonly string _clientName = $"{Environment.MachineName}:{Environment.ProcessId}";
    private readonly Lock _stateLock = new();
    private long _downUntil; // 0: the service is believed up

    public LeasedBandwidthBudget(HttpClient http, Uri serviceUrl, ThrottleOptions options, TimeProvider time, ILogger? logger = null, ThrottleMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(serviceUrl);
        ArgumentNullException.ThrowIfNull(options);
        _http = http;
        ServiceUrl = serviceUrl;
        _leases = new Uri(serviceUrl, LeasesPath);
        _options = options;
        _time = time;
        _logger = logger ?? NullLogger.Instance;
        _metrics = metrics;
        _fallback = new LocalBandwidthBudget(options, time, logger: _logger, rateScale: options.FallbackShare);
        _links = options.Links.ToDictionary(l => l.Id);
    }

    public Uri ServiceUrl { get; }

    /// <summary>Whether the client is spending from its local fallback share (the service did not answer).</summary>
    public bool IsFallingBack
    {
        get
        {
            lock (_stateLock)
            {
                return _downUntil != 0;
            }
        }
    }

    public ValueTask AcquireAsync(LinkId link, TrafficPriority priority, string tenant, long bytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        if (bytes <= 0 || !_links.TryGetValue(link, out var config))
        {
            // not a budgeted link: the local budget passes it (and logs an unknown inter-datacenter link once)
            return _fallback.AcquireAsync(link, priority, tenant, bytes, cancellationToken);
        }

        var account = _accounts.GetOrAdd((link, priority, tenant), k => new LeaseAccount(k.Item1, k.Item2, k.Item3));
        var leaseBytes = (long)Math.Max(1, config.BytesPerSecond * _options.LeaseSlice.TotalSeconds);
        lock (account)
        {
            // fast path: enough held; renew ahead of need when running low
            var now = _time.GetTimestamp();
            if (account.Held(now) >= bytes)
            {
                account.Take(bytes, now);
                RenewAheadLocked(account, leaseBytes, now);
                return ValueTask.CompletedTask;
            }
        }

        return AcquireSlowAsync(account, leaseBytes, bytes, cancellationToken);
    }

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
        _fallback.Dispose();
    }

    private async ValueTask AcquireSlowAsync(LeaseAccount account, long leaseBytes, long bytes, CancellationToken cancellationToken)
    {
        var remaining = bytes;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Task? renewal;
            lock (account)
            {
                var now = _time.GetTimestamp();
                remaining -= account.Take(remaining, now);
                if (remaining == 0)
                {
                    RenewAheadLocked(account, leaseBytes, now);
                    return;
                }

                if (account.Renewal is { IsCompleted: true })
                {
                    account.Renewal = null;
                }

                renewal = IsDown(now) ? null : account.Renewal ??= RenewAsync(account, leaseBytes);
            }

            if (renewal is null)
            {
                // the service is away: the rest comes from the conservative local share, never from credit
                await _fallback.AcquireAsync(account.Link, account.Priority, account.Tenant, remaining, cancellationToken).ConfigureAwait(false);
                return;
            }

            await renewal.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private void RenewAheadLocked(LeaseAccount account, long leaseBytes, long now)
    {
        if (account.Renewal is { IsCompleted: true })
        {
            account.Renewal = null;
        }

        if (account.Renewal is null && !IsDown(now) && account.Held(now) < leaseBytes * _options.RenewBelow)
        {
            account.Renewal = RenewAsync(account, leaseBytes);
        }
    }

    private bool IsDown(long now)
    {
        lock (_stateLock)
        {
            return _downUntil != 0 && now < _downUntil;
        }
    }

    private async Task RenewAsync(LeaseAccount account, long leaseBytes)
    {
        await Task.Yield(); // never run the request under the account's lock
        var sentAt = _time.GetTimestamp();
        try
        {
            var request = new LeaseRequest(account.Link.ToString(), account.Priority, account.Tenant, leaseBytes, _clientName);
            using var response = await _http.PostAsJsonAsync(_leases, request, _disposed.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var detail = await response.Content.ReadAsStringAsync(_disposed.Token).ConfigureAwait(false);
                ThrottleLog.LeaseRefused(_logger, ServiceUrl, account.Link.ToString(), (int)response.StatusCode, detail);
                MarkDown($"HTTP {(int)response.StatusCode}");
                return;
            }

            var grant = await response.Content.ReadFromJsonAsync<LeaseGrant>(_disposed.Token).ConfigureAwait(false)
                ?? throw new JsonException("empty lease response");
            MarkUp();
            if (grant.GrantedBytes > 0)
            {
                // the lease's time runs from when it was asked for, so this side never outlives the service's view of it
                var expiresAt = sentAt + (long)(grant.TtlMilliseconds / 1000d * _time.TimestampFrequency);
                lock (account)
                {
                    account.Add(grant.GrantedBytes, expiresAt);
                }
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or NotSupportedException
                                   || (ex is OperationCanceledException && !_disposed.IsCancellationRequested))
        {
            MarkDown(ex.Message);
        }
    }

    private void MarkDown(string reason)
    {
        bool first;
        lock (_stateLock)
        {
            first = _downUntil == 0;
            _downUntil = _time.GetTimestamp() + (long)(_options.RetryInterval.TotalSeconds * _time.TimestampFrequency);
        }

        if (first)
        {
            _metrics?.FellBack();
            ThrottleLog.ServiceUnreachable(_logger, ServiceUrl, reason, _options.FallbackShare);
        }
    }

    private void MarkUp()
    {
        bool recovered;
        lock (_stateLock)
        {
            recovered = _downUntil != 0;
            _downUntil = 0;
        }

        if (recovered)
        {
            ThrottleLog.ServiceRecovered(_logger, ServiceUrl);
        }
    }
}
