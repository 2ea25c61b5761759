using Microsoft.Extensions.Time.Testing;
using Unitization.TestUtils;
using Unitization.Throttle.Budget;
using Unitization.Throttle.Client;
using Unitization.Throttle.Configuration;
using Unitization.Throttle.Leases;

namespace Unitization.Throttle.Tests.Client;

public sealed class LeasedBandwidthBudgetTests : IDisposable
{
    private static readonly LinkId Link = new("dcA", "dcB");
    private readonly FakeTimeProvider _time = new();
    private readonly ThrottleOptions _options = new()
    {
        // 1 MB/s, leases of 100 kB valid 1 s; the service's burst is a whole second so leases come at once
        Links = [new LinkOptions { From = "dcA", To = "dcB", BytesPerSecond = 1_000_000, BurstBytes = 1_000_000 }],
        LeaseSlice = TimeSpan.FromMilliseconds(100),
        LeaseTtl = TimeSpan.FromSeconds(1),
        FallbackShare = 0.1,
        RetryInterval = TimeSpan.FromSeconds(1),
    };

    private readonly LocalBandwidthBudget _service;
    private readonly InProcessLeaseHandler _handler;
    private readonly HttpClient _http;
    private readonly LeasedBandwidthBudget _client;

    public LeasedBandwidthBudgetTests()
    {
        _service = new LocalBandwidthBudget(_options, _time);
        _handler = new InProcessLeaseHandler(new LeaseService(_service, _options, _time));
        _http = new HttpClient(_handler);
        _client = new LeasedBandwidthBudget(_http, new Uri("http://throttle.test/"), _options, _time);
    }

    [Fact]
    public async Task AcquireAsync_OneOff_AsksForWhatItNeedsAndLeavesNothingToExpire()
    {
        await _client.AcquireAsync(Link, TrafficPriority.Normal, "job", 10_000, TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromSeconds(5)); // the next copy of this tenant comes much later
        await _client.AcquireAsync(Link, TrafficPriority.Normal, "job", 16_000, TestContext.Current.CancellationToken);

        Assert.Equal(2, _handler.Requests);
        Assert.Equal(26_000, _handler.GrantedBytes); // no slice ahead of need that would have expired unspent
    }

    [Fact]
    public async Task AcquireAsync_Streaming_TakesASliceAheadAndSpendsWithoutAskingAgain()
    {
        await _client.AcquireAsync(Link, TrafficPriority.Normal, "job", 10_000, TestContext.Current.CancellationToken);
        await _client.AcquireAsync(Link, TrafficPriority.Normal, "job", 30_000, TestContext.Current.CancellationToken); // right after: a stream
        Assert.Equal(2, _handler.Requests);
        Assert.Equal(140_000, _handler.GrantedBytes); // 30 kB needed and a slice (100 kB) ahead

        await _client.AcquireAsync(Link, TrafficPriority.Normal, "job", 30_000, TestContext.Current.CancellationToken);
        Assert.Equal(2, _handler.Requests); // 70 kB still held: above the renewal mark
    }

    [Fact]
    public async Task AcquireAsync_StreamingBelowRenewalMark_RenewsAheadOfNeed()
    {
        await _client.AcquireAsync(Link, TrafficPriority.Normal, "job", 10_000, TestContext.Current.CancellationToken);
        await _client.AcquireAsync(Link, TrafficPriority.Normal, "job", 10_000, TestContext.Current.CancellationToken); // holds a slice
        await _client.AcquireAsync(Link, TrafficPriority.Normal, "job", 60_000, TestContext.Current.CancellationToken); // 40 kB left: below half a slice

        Assert.True(await WaitForAsync(() => _handler.Requests == 3));
        // the renewal went out while 40 kB were still held: spending those needs no wait for the service, whenever the
        // renewal's answer gets back to the client
        var next = _client.AcquireAsync(Link, TrafficPriority.Normal, "job", 40_000, TestContext.Current.CancellationToken);
        Assert.True(next.IsCompleted);
        await next;

        // the handler counts a request when it arrives and its grant once the service has answered: wait for that answer
        Assert.True(await WaitForAsync(() => _handler.GrantedBytes >= 220_000));
    }

    [Fact]
    public async Task AcquireAsync_LeaseExpired_UnspentBytesAreDroppedAndANewLeaseIsTaken()
    {
        await _client.AcquireAsync(Link, TrafficPriority.Normal, "job", 10_000, TestContext.Current.CancellationToken);
        await _client.AcquireAsync(Link, TrafficPriority.Normal, "job", 10_000, TestContext.Current.CancellationToken); // holds 100 kB
        _time.Advance(TimeSpan.FromSeconds(1)); // the lease ends

        await _client.AcquireAsync(Link, TrafficPriority.Normal, "job", 10_000, TestContext.Current.CancellationToken);

        Assert.Equal(3, _handler.Requests);
        Assert.Equal(130_000, _handler.GrantedBytes);
    }

    [Fact]
    public async Task AcquireAsync_FirstServiceStandbyOrDown_LeasesFromTheNextAndStaysWithIt()
    {
        using var standbyBudget = new LocalBandwidthBudget(_options, _time);
        using var standby = new InProcessLeaseHandler(new LeaseService(standbyBudget, _options, _time)) { Standby = true };
        using var down = new InProcessLeaseHandler(new LeaseService(standbyBudget, _options, _time)) { Available = false };
        using var routing = new RoutingHandler(new Dictionary<string, HttpMessageHandler> { ["a.test"] = standby, ["b.test"] = down, ["c.test"] = _handler });
        using var http = new HttpClient(routing);
        using var client = new LeasedBandwidthBudget(http, [new Uri("http://a.test"), new Uri("http://b.test"), new Uri("http://c.test")], _options, _time);

        await client.AcquireAsync(Link, TrafficPriority.Normal, "job", 10_000, TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromSeconds(5));
        await client.AcquireAsync(Link, TrafficPriority.Normal, "job", 10_000, TestContext.Current.CancellationToken);

        Assert.False(client.IsFallingBack);
        Assert.Equal(new Uri("http://c.test/"), client.ServiceUrl);
        Assert.Equal(20_000, _handler.GrantedBytes);
        Assert.Equal(1, standby.Requests); // the second lease went straight to the instance that answered
    }

    [Fact]
    public async Task AcquireAsync_NeverSpendsMoreThanItWasGranted()
    {
        long spent = 0;
        for (var i = 0; i < 40; i++)
        {
            var acquire = _client.AcquireAsync(Link, TrafficPriority.Normal, "job", 25_000, TestContext.Current.CancellationToken).AsTask();
            await DriveAsync(acquire);
            spent += 25_000;
            Assert.True(spent <= _handler.GrantedBytes, $"spent {spent} with {_handler.GrantedBytes} granted");
        }

        Assert.False(_client.IsFallingBack);
    }

    [Fact]
    public async Task AcquireAsync_ServiceDownThenBack_FallsBackToLocalShareThenLeasesAgain()
    {
        _handler.Available = false;

        var acquire = _client.AcquireAsync(Link, TrafficPriority.Normal, "job", 50_000, TestContext.Current.CancellationToken).AsTask();
        await DriveAsync(acquire);
        Assert.True(_client.IsFallingBack);
        Assert.Equal(0, _handler.GrantedBytes);

        // while down, the fallback share (10 % of 1 MB/s = 100 kB/s, a burst of 100 kB) bounds the rate: whatever it held
        // when they began (the driver's fake clock may run on while a completion is on its way), 200 kB take 1 s more
        var started = _time.GetUtcNow();
        for (var i = 0; i < 10; i++)
        {
            await DriveAsync(_client.AcquireAsync(Link, TrafficPriority.Normal, "job", 20_000, TestContext.Current.CancellationToken).AsTask());
        }

        Assert.True(_time.GetUtcNow() - started >= TimeSpan.FromSeconds(1), $"200 kB in {_time.GetUtcNow() - started}");
        Assert.Equal(0, _handler.GrantedBytes);

        _handler.Available = true;
        _time.Advance(_options.RetryInterval);
        await DriveAsync(_client.AcquireAsync(Link, TrafficPriority.Normal, "job", 10_000, TestContext.Current.CancellationToken).AsTask());
        Assert.False(_client.IsFallingBack);
        Assert.True(_handler.GrantedBytes > 0);
    }

    [Fact]
    public async Task AcquireAsync_WaitingInTheFallbackWhenTheServiceIsBack_LeasesInsteadOfWaitingOutTheLocalShare()
    {
        using var client = new LeasedBandwidthBudget(_http, new Uri("http://throttle.test/"), Retrying(), _time);
        _handler.Available = false;
        await DrainTheLocalShareAsync(client);
        var waiting = client.AcquireAsync(Link, TrafficPriority.High, "job", 1_000_000, TestContext.Current.CancellationToken).AsTask();
        _handler.Available = true;

        var took = await _time.DriveAsync(waiting, TimeSpan.FromMilliseconds(1));

        // it left the local share at the first retry (200 ms) instead of waiting there for its debt to be paid (5 s)
        Assert.True(took < TimeSpan.FromSeconds(2), $"the acquire waited {took} of fake time");
        Assert.Equal(1_000_000, _handler.GrantedBytes);
        Assert.False(client.IsFallingBack);
    }

    [Fact]
    public async Task AcquireAsync_SeveralWaitingInTheFallback_OneAsksPerRetryAndAllLeaseOnceItIsAnswered()
    {
        using var client = new LeasedBandwidthBudget(_http, new Uri("http://throttle.test/"), Retrying(), _time);
        _handler.Available = false;
        await DrainTheLocalShareAsync(client);
        Assert.Equal(1, _handler.Attempts);
        // in the local share these would finish after 5, 8 and 11 s (each waits for a full bucket, then leaves a debt)
        var waiting = new[] { "a", "b", "c" }
            .Select(t => client.AcquireAsync(Link, TrafficPriority.High, t, 300_000, TestContext.Current.CancellationToken).AsTask())
            .ToArray();

        await _time.DriveAsync(Task.Delay(TimeSpan.FromSeconds(1), _time, TestContext.Current.CancellationToken), TimeSpan.FromMilliseconds(1));
        // five retries fell due (every 200 ms): at each one acquire asked, not all three (that would be 15)
        Assert.InRange(_handler.Attempts - 1, 2, 5);
        Assert.DoesNotContain(waiting, w => w.IsCompleted);

        _handler.Available = true;
        var took = await _time.DriveAsync(Task.WhenAll(waiting), TimeSpan.FromMilliseconds(1));

        Assert.True(took < TimeSpan.FromSeconds(2), $"the acquires waited {took} of fake time after the service came back");
        Assert.Equal(900_000, _handler.GrantedBytes);
    }

    /// <summary>
    /// Spends 500 kB from the local share (10 % of 1 MB/s, a burst of 100 kB) while no service answers: it goes at once,
    /// into a debt of 400 kB, so the share's next grant is 5 s away.
    /// </summary>
    private async Task DrainTheLocalShareAsync(LeasedBandwidthBudget client)
    {
        await DriveAsync(client.AcquireAsync(Link, TrafficPriority.Normal, "drain", 500_000, TestContext.Current.CancellationToken).AsTask());
        Assert.True(client.IsFallingBack);
    }

    public void Dispose()
    {
        _client.Dispose();
        _http.Dispose();
        _service.Dispose();
    }

    /// <summary>The options with a retry every 200 ms.</summary>
    private ThrottleOptions Retrying() => new()
    {
        Links = _options.Links,
        LeaseSlice = _options.LeaseSlice,
        LeaseTtl = _options.LeaseTtl,
        FallbackShare = _options.FallbackShare,
        RetryInterval = TimeSpan.FromMilliseconds(200),
    };

    private Task DriveAsync(Task task) => _time.DriveAsync(task, TimeSpan.FromMilliseconds(5));

    private static async Task<bool> WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 100_000; i++)
        {
            if (condition())
            {
                return true;
            }

            await Task.Yield();
        }

        return condition();
    }
}
