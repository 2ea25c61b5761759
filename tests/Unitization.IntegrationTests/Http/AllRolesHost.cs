using Microsoft.AspNetCore.Builder;
using Unitization.Host.Hosting;
using Unitization.TestUtils;
using Unitization.TestUtils.Security;
using Unitization.TestUtils.Servers;

namespace Unitization.IntegrationTests.Http;

/// <summary>
/// Every role in this process as <c>unitization serve --roles all</c> runs them: the shipped configuration, real
/// Kestrel on a port picked by the OS, the dev Kafka broker and ClickHouse, with topics, consumer groups and a
/// ClickHouse database of its own.
/// </summary>
public sealed class AllRolesHost : IAsyncLifetime
{
    private readonly TempDirectory _data = new("http-all-roles");
    private readonly string _id = Guid.NewGuid().ToString("N")[..10];

    public WebApplication App { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var kafka = TestServers.RequireKafka();
        var clickHouse = TestServers.RequireClickHouse();
        var overrides = new Dictionary<string, string?>
        {
            ["Analytics:ClickHouseUrl"] = clickHouse,
            ["Analytics:Database"] = "http_" + _id,
            ["Analytics:TrafficTopic"] = "traffic-" + _id,
            ["Analytics:DeadLetterTopic"] = "traffic-dlq-" + _id,
            ["Analytics:ConsumerGroup"] = "http-" + _id,
            ["Replication:EventsTopic"] = "hms-events-" + _id,
            ["Replication:DeadLetterTopic"] = "hms-events-dlq-" + _id,
            ["Replication:ConsumerGroup"] = "http-replicator-" + _id,
        };
        App = UnitizationHost.Build(new ServeSettings(RepositoryPaths.ShippedConfig, Role.All, "http://127.0.0.1:0", kafka, _data.Path, overrides));
        await App.StartAsync(TestContext.Current.CancellationToken);
        BaseAddress = new Uri(App.Urls.First());
    }

    /// <summary>
    /// A client of the host; <paramref name="expectContinueTimeout"/>: how long a request with <c>Expect: 100-continue</c>
    /// waits for the server's answer before it sends its body anyway (the handler's default: 1 s).
    /// </summary>
    public HttpClient Client(TimeSpan? timeout = null, TimeSpan? expectContinueTimeout = null)
    {
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, RequestHeaderEncodingSelector = (_, _) => System.Text.Encoding.UTF8 };
        if (expectContinueTimeout is { } wait)
        {
            handler.Expect100ContinueTimeout = wait;
        }

        return new TestHttpClient(handler) { BaseAddress = BaseAddress, Timeout = timeout ?? TimeSpan.FromSeconds(60) };
    }

    public async ValueTask DisposeAsync()
    {
        if (App is not null)
        {
            await App.StopAsync(CancellationToken.None);
            await App.DisposeAsync();
        }

        _data.Dispose();
    }
}
