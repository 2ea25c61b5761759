using System.Collections.Concurrent;
using System.Net;
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
/// The budget of a process that is not the <c>throttle</c> role's leader: it spends only leased bytes. It asks for what
/// an acquire still needs and, while an account streams (an acquire starts within one lease slice of the last one's
/// end), a slice ahead of need when what it holds drops below <see cref="ThrottleOptions.RenewBelow"/> of one; a one-off acquire
/// leaves nothing behind to expire unused. It asks the throttle instances of <c>Throttle:ServiceUrl</c> in turn,
/// staying with the one that answers (a standby answers 503: the next is tried at once). When none can be reached it
/// spends from a local budget at <see cref="ThrottleOptions.FallbackShare"/> of each link's rate, and every
/// <see cref="ThrottleOptions.RetryInterval"/> one acquire (not each) asks again; when one answers, leases take over
/// again, also for the acquires still waiting in the local share (they leave it: a service back after a failover is
/// not waited out at the fallback's rate).
/// </summary>
internal sealed class LeasedBandwidthBudget : IBandwidthBudget, IDisposable
{
    public const string LeasesPath = "api/v1/throttle/leases";

    private readonly HttpClient _http;
    private readonly Uri[] _services; // base URLs, in the order tried
    private readonly Uri[] _leases;
    private readonly ThrottleOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ThrottleMetrics? _metrics;
    private readonly LocalBandwidthBudget _fallback;
    private readonly Dictionary<LinkId, LinkOptions> _links;
    private readonly ConcurrentDictionary<(LinkId, TrafficPriority, string), LeaseAccount> _accounts = new();
    private readonly CancellationTokenSource _disposed = new();
    private readonly string _clientName = $"{Environment.MachineName}:{Environment.ProcessId}";
    private readonly long _streamingWithin;
    private readonly Lock _stateLock = new();
    private long _downUntil; // 0: the service is believed up; else when the next retry is due
    private TaskCompletionSource _recovered = NewSignal(); // completed when a service answers after being down
    private int _current; // the index of the service that answered last

    public LeasedBandwidthBudget(HttpClient http, IReadOnlyList<Uri> serviceUrls, ThrottleOptions options, TimeProvider time, ILogger? logger = null, ThrottleMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(serviceUrls);
        ArgumentNullException.ThrowIfNull(options);
        _http = http;
        _services = [.. serviceUrls.Select(u => new Uri(u.ToString().TrimEnd('/') + "/"))];
        _leases = [.. _services.Select(u => new Uri(u, LeasesPath))];
        _options = options;
        _time = time;
        _logger = logger ?? NullLogger.Instance;
        _metrics = metrics;
        _fallback = new LocalBandwidthBudget(options, time, logger: _logger, rateScale: options.FallbackShare);
        _links = options.Links.ToDictionary(l => l.Id);
        _streamingWithin = (long)(options.LeaseSlice.TotalSeconds * time.TimestampFrequency);
    }

    public LeasedBandwidthBudget(HttpClient http, Uri serviceUrl, ThrottleOptions options, TimeProvider time, ILogger? logger = null, ThrottleMetrics? metrics = null)
        : this(http, [serviceUrl], options, time, logger, metrics)
    {
    }

    /// <summary>The service asked first now (the one that answered last).</summary>
    public Uri ServiceUrl => _services[Volatile.Read(ref _current)];

    /// <summary>Whether the client is spending from its local fallback share (no service answered).</summary>
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
        // what is asked for ahead of need: one lease slice of the link's rate
        var leaseBytes = (long)Math.Max(1, config.BytesPerSecond * _options.LeaseSlice.TotalSeconds);
        lock (account)
        {
            // fast path: enough held; renew ahead of need when running low
            var now = _time.GetTimestamp();
            var streaming = account.Start(now, _streamingWithin);
            if (account.Held(now) >= bytes)
            {
                account.Take(bytes, now);
                account.Done(now);
                RenewAheadLocked(account, leaseBytes, streaming, now);
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
        var ask = false; // the local share handed over: the service answers again, or this acquire took the retry due
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
                    account.Done(now);
                    RenewAheadLocked(account, leaseBytes, account.Streaming, now);
                    return;
                }

                if (account.Renewal is { IsCompleted: true })
                {
                    account.Renewal = null;
                }

                // ask for what this acquire still needs, and a lease ahead while the account streams
                renewal = account.Renewal ??= ask || MayAsk(now) ? RenewAsync(account, remaining + (account.Streaming ? leaseBytes : 0)) : null;
                ask = false;
            }

            if (renewal is null)
            {
                // no service answers: the rest comes from the conservative local share, never from credit
                if (await SpendFallbackAsync(account, remaining, cancellationToken).ConfigureAwait(false))
                {
                    lock (account)
                    {
                        account.Done(_time.GetTimestamp());
                    }

                    return;
                }

                ask = true;
                continue;
            }

            await renewal.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Waits for <paramref name="bytes"/> in the local fallback share: true once they are granted; false (nothing spent)
    /// as soon as a service answers again, or when a retry falls due and this acquire is the one to ask.
    /// </summary>
    private async Task<bool> SpendFallbackAsync(LeaseAccount account, long bytes, CancellationToken cancellationToken)
    {
        using var leave = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var spend = _fallback.AcquireAsync(account.Link, account.Priority, account.Tenant, bytes, leave.Token).AsTask();
        while (true)
        {
            Task recovered;
            TimeSpan retryIn;
            lock (_stateLock)
            {
                recovered = _recovered.Task;
                var now = _time.GetTimestamp();
                retryIn = _downUntil > now ? _time.GetElapsedTime(now, _downUntil) : TimeSpan.Zero;
            }

            using var timer = new CancellationTokenSource();
            var due = Task.Delay(retryIn, _time, timer.Token);
            var first = await Task.WhenAny(spend, recovered, due).ConfigureAwait(false);
            await timer.CancelAsync().ConfigureAwait(false);
            if (first == spend)
            {
                break;
            }

            if (first == due && !MayAsk(_time.GetTimestamp()))
            {
                continue; // another acquire took the retry: wait on here until it is answered or the next falls due
            }

            await leave.CancelAsync().ConfigureAwait(false);
            break;
        }

        try
        {
            await spend.ConfigureAwait(false);
            return true; // granted, perhaps just before it was left
        }
        catch (OperationCanceledException) when (leave.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private void RenewAheadLocked(LeaseAccount account, long leaseBytes, bool streaming, long now)
    {
        if (account.Renewal is { IsCompleted: true })
        {
            account.Renewal = null;
        }

        if (streaming && account.Renewal is null && !IsDown(now) && account.Held(now) < leaseBytes * _options.RenewBelow)
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

    /// <summary>
    /// Whether to ask a service now: always while they are believed up; while down, only the one caller that takes the
    /// retry falling due (the next is then due a <see cref="ThrottleOptions.RetryInterval"/> later), so acquires waiting
    /// in the local share do not all leave it to ask at once.
    /// </summary>
    private bool MayAsk(long now)
    {
        lock (_stateLock)
        {
            if (_downUntil == 0)
            {
                return true;
            }

            if (now < _downUntil)
            {
                return false;
            }

            _downUntil = now + RetryTicks;
            return true;
        }
    }

    private long RetryTicks => (long)(_options.RetryInterval.TotalSeconds * _time.TimestampFrequency);

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task RenewAsync(LeaseAccount account, long bytes)
    {
        await Task.Yield(); // never run the request under the account's lock
        var request = new LeaseRequest(account.Link.ToString(), account.Priority, account.Tenant, bytes, _clientName);
        var first = Volatile.Read(ref _current);
        string? reason = null;
        for (var i = 0; i < _services.Length; i++)
        {
            var index = (first + i) % _services.Length;
            var outcome = await AskAsync(_services[index], _leases[index], request, account).ConfigureAwait(false);
            if (outcome is null)
            {
                Volatile.Write(ref _current, index);
                MarkUp();
                return;
            }

            reason = outcome;
        }

        MarkDown(reason ?? "no throttle service configured");
    }

    /// <summary>One lease request to one service: null when it answered (the grant, if any, added), else why not.</summary>
    private async Task<string?> AskAsync(Uri service, Uri leases, LeaseRequest request, LeaseAccount account)
    {
        var sentAt = _time.GetTimestamp();
        try
        {
            using var response = await _http.PostAsJsonAsync(leases, request, _disposed.Token).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                return $"{service.GetLeftPart(UriPartial.Authority)}: HTTP 503 (a standby, or stopping)";
            }

            if (!response.IsSuccessStatusCode)
            {
                var detail = await response.Content.ReadAsStringAsync(_disposed.Token).ConfigureAwait(false);
                ThrottleLog.LeaseRefused(_logger, service, account.Link.ToString(), (int)response.StatusCode, detail);
                return $"{service.GetLeftPart(UriPartial.Authority)}: HTTP {(int)response.StatusCode}";
            }

            var grant = await response.Content.ReadFromJsonAsync<LeaseGrant>(_disposed.Token).ConfigureAwait(false)
                ?? throw new JsonException("empty lease response");
            if (grant.GrantedBytes > 0)
            {
                // the lease's time runs from when it was asked for, so this side never outlives the service's view of it
                var expiresAt = sentAt + (long)(grant.TtlMilliseconds / 1000d * _time.TimestampFrequency);
                lock (account)
                {
                    account.Add(grant.GrantedBytes, expiresAt);
                }
            }

            return null;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or NotSupportedException
                                   || (ex is OperationCanceledException && !_disposed.IsCancellationRequested))
        {
            return $"{service.GetLeftPart(UriPartial.Authority)}: {ex.Message}";
        }
    }

    private void MarkDown(string reason)
    {
        bool first;
        lock (_stateLock)
        {
            first = _downUntil == 0;
            _downUntil = _time.GetTimestamp() + RetryTicks;
            if (first)
            {
                _recovered = NewSignal();
            }
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
            _recovered.TrySetResult(); // the acquires waiting in the local share lease again
        }

        if (recovered)
        {
            ThrottleLog.ServiceRecovered(_logger, ServiceUrl);
        }
    }
}
