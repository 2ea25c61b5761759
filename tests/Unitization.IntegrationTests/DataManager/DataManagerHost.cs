using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Unitization.DataManager.Hosting;
using Unitization.StateStore;
using Unitization.TestUtils;

namespace Unitization.IntegrationTests.DataManager;

/// <summary>
/// The datamanager role in-process over real HTTP on 127.0.0.1 (port 0), with a SQLite state store in a temp folder
/// that outlives <see cref="StopAsync"/>, so a test can start the role again over the same state (a restart).
/// </summary>
internal sealed class DataManagerHost : IAsyncDisposable
{
    private readonly Action<IServiceCollection> _services;
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private WebApplication? _app;

    /// <param name="settings">Configuration over the defaults (e.g. a PostgreSQL state store shared with another host).</param>
    public DataManagerHost(Action<IServiceCollection>? services = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        _services = services ?? (_ => { });
        _settings = settings ?? new Dictionary<string, string?>();
    }

    public TempDirectory Directory { get; } = new("datamanager-api");

    public HttpClient Http { get; private set; } = null!;

    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("The datamanager is not running.");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = Directory.Path });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["StateStore:Provider"] = "sqlite",
            ["StateStore:Path"] = "state.db",
            ["DataManager:Datacenters:0:Id"] = "dcA",
            ["DataManager:Datacenters:0:Share"] = "1",
            ["DataManager:Datacenters:0:Queue"] = "root.dcA",
            ["DataManager:Datacenters:1:Id"] = "dcB",
            ["DataManager:Datacenters:1:Share"] = "1",
            ["DataManager:Datacenters:1:Queue"] = "root.dcB",
            ["DataManager:DefaultDatacenter"] = "dcB",
            // longer than any test runs: a held request is released only by the freshness signal
            ["DataManager:ReadinessRecheckInterval"] = "00:09:00",
            ["DataManager:MaxLineageBodyBytes"] = "1048576",
        });
        builder.Configuration.AddInMemoryCollection(_settings);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddProblemDetails();
        builder.Services.AddStateStore(builder.Configuration, Directory.Path);
        _services(builder.Services);
        builder.Services.AddDataManager(builder.Configuration);
        _app = builder.Build();
        _app.MapDataManager();
        await _app.StartAsync(cancellationToken);
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
    }

    public async Task StopAsync()
    {
        if (_app is not null)
        {
            Http.Dispose();
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
            _app = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Dispose();
    }
}
