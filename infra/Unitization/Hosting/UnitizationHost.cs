using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Unitization.Analytics.Hosting;
using Unitization.Host.Http;
using Unitization.Host.Security;
using Unitization.DataManager.Hosting;
using Unitization.DataManager.Apply;
using Unitization.DataManager.Readiness;
using Unitization.Hdfs.Hosting;
using Unitization.Kafka;
using Unitization.Namespaces;
using Unitization.Namespaces.Configuration;
using Unitization.Replication.Hosting;
using Unitization.Router.Hosting;
using Unitization.SampleHms;
using Unitization.StateStore;
using Unitization.Throttle.Hosting;

namespace Unitization.Host.Hosting;

/// <summary>Composes the roles into one ASP.NET Core host.</summary>
public static class UnitizationHost
{
    public static WebApplication Build(ServeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ContentRootPath = Directory.GetCurrentDirectory() });
        builder.Configuration.Sources.Clear();
        ConfigurationFile.AddTo(builder.Configuration, settings.ConfigPath);
        var overrides = new Dictionary<string, string?>();
        if (settings.Kafka is not null)
        {
            overrides["Kafka:BootstrapServers"] = settings.Kafka;
        }

        if (settings.DataFolder is not null)
        {
            overrides["DataFolder"] = settings.DataFolder;
        }

        builder.Configuration.AddEnvironmentVariables("UNITIZATION_");
        foreach (var (key, value) in settings.Overrides ?? new Dictionary<string, string?>())
        {
            overrides[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(overrides);
        if (builder.Configuration["NamespaceAccess"] is null or "auto")
        {
            // only the replicator and the sample HMS write to namespaces; any other process follows their edit logs
            // read-only, as a standby NameNode tails the edits, and holds no writer lock
            var writes = settings.Roles.HasFlag(Role.Replicator) || settings.SampleHms is not null;
            builder.Configuration["NamespaceAccess"] = writes ? "write" : "follow";
        }

        builder.WebHost.UseUrls(settings.Urls);
        KestrelTls.Configure(builder.WebHost, builder.Configuration, settings.Urls, settings.ConfigPath);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // HttpClientFactory logs four lines a request at Information: a process leasing from the throttle role asks
        // about ten times a second per copying tenant, and those lines drowned everything else in a fleet's log
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        // the host's own errors stay visible: a background service that throws stops the host, and that must be in the log
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Error);
        LogFormat.AddConsole(builder.Logging, builder.Configuration, settings.ConfigPath);
        var redactor = SecretRedactor.FromConfiguration(builder.Configuration);
        RedactingLoggerProvider.Decorate(builder.Logging, redactor);
        builder.Services.AddSingleton(redactor);

        var configuration = builder.Configuration;
        var topology = new TopologyOptions();
        configuration.Bind(topology, o => o.ErrorOnUnknownConfiguration = false);
        var dataFolder = Path.GetFullPath(topology.DataFolder);
        Directory.CreateDirectory(dataFolder);

        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddProblemDetails();
        services.AddApiDescription(settings.Roles);
        services.AddTelemetry(settings.Roles);
        services.AddRequestValidation(configuration);
        services.AddSecurity(configuration);
        services.AddOptions<TopologyOptions>()
            .Bind(configuration, o => o.ErrorOnUnknownConfiguration = false)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddKafkaOptions(configuration).ValidateOnStart();
        services.AddStateStore(configuration, dataFolder);
        services.AddHdfsNamespaces();

        var roles = settings.Roles;
        if (roles.HasFlag(Role.Throttle))
        {
            services.AddThrottle(configuration);
        }

        if (roles.HasFlag(Role.DataManager))
        {
            services.AddDataManager(configuration);
        }

        if (roles.HasFlag(Role.Replicator))
        {
            services.AddReplication(configuration);
        }

        if (roles.HasFlag(Role.Router))
        {
            services.AddRouter(configuration);
        }

        if (roles.HasFlag(Role.Analytics))
        {
            services.AddAnalytics(configuration);
        }

        if (settings.SampleHms is not null)
        {
            // after the roles: writes go through the same namespace catalog (and writer locks) as theirs
            services.AddNamespaces(configuration);
            services.AddSampleHms(settings.SampleHms);
        }

        if (roles.HasFlag(Role.DataManager) && roles.HasFlag(Role.Router))
        {
            // readiness answers from the router's edit-log versions; a datamanager without the router role says
            // "unknown" rather than guessing
            services.AddSingleton<IDatasetFreshness, RouterDatasetFreshness>();
        }

        if (roles.HasFlag(Role.DataManager) && roles.HasFlag(Role.Router) && roles.HasFlag(Role.Replicator))
        {
            // a plan change acts through the router's mounts and Replication's migrations (the write fence of a
            // primary move holds in this process's router)
            services.AddSingleton<IPlacementActuator, PlacementActuator>();
        }

        var app = builder.Build();
        app.UseRequestValidation();
        app.UseSecurity();
        var roleNames = RoleList.Format(roles).ToArray();
        app.MapHealthChecks("/healthz", new HealthCheckOptions
        {
            ResponseWriter = (context, report) => HealthzResponse.WriteAsync(context, report, roleNames, redactor),
        }).AllowAnonymous();
        var secured = app.SecuredEndpoints();
        secured.MapApiDescription();
        secured.MapTelemetry();

        if (roles.HasFlag(Role.Throttle))
        {
            secured.RoleGroup("throttle").MapThrottle();
        }

        if (roles.HasFlag(Role.DataManager))
        {
            secured.RoleGroup("datamanager").MapDataManager();
        }

        if (roles.HasFlag(Role.Replicator))
        {
            secured.RoleGroup("replicator").MapReplication();
        }

        if (roles.HasFlag(Role.Router))
        {
            secured.RoleGroup("router").MapRouter();
        }

        if (roles.HasFlag(Role.Analytics))
        {
            secured.RoleGroup("analytics").MapAnalytics();
        }

        return app;
    }
}
