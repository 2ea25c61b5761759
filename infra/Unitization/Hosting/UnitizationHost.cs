using System.Reflection;
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

    /// <summary>
    /// Turns an options failure into one line a person can act on: the configuration key (section:member) and what is wrong.
    /// </summary>
    public static string Describe(Exception exception, string configPath)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var file = Path.GetFullPath(configPath);
        switch (exception)
        {
            case OptionsValidationException validation:
                var section = SectionOf(validation.OptionsType);
                var lines = validation.Failures.Select(f => $"{file}: {Qualify(section, f)}");
                return string.Join(Environment.NewLine, lines);
            case ConfigurationFileException:
                return exception.Message;
            case InvalidOperationException when exception.Message.Contains("were not found on the instance of", StringComparison.Ordinal):
                return $"{file}: {UnknownKeys(exception.Message)}";
            case InvalidOperationException { InnerException: FormatException format }
                when !exception.Message.Contains(format.Message, StringComparison.Ordinal):
                // the binder's "Failed to convert configuration value 'x' at 'Section:Key' ..." and why (which entry); an
                // error that already says why (a URL list read after binding) is said once
                return $"{exception.Message} {format.Message}";
            case AggregateException aggregate when aggregate.InnerExceptions.Count > 0:
                return string.Join(Environment.NewLine, aggregate.InnerExceptions.Select(e => Describe(e, configPath)));
            default:
                return exception.Message;
        }
    }

    // "... not found on the instance of Unitization.Kafka.KafkaOptions: 'A', 'B'" -> "Kafka:A, Kafka:B: unknown key(s)"
    private static string UnknownKeys(string message)
    {
        const string marker = "not found on the instance of ";
        var i = message.IndexOf(marker, StringComparison.Ordinal) + marker.Length;
        var colon = message.IndexOf(':', i);
        if (colon < 0)
        {
            return message;
        }

        var typeName = message[i..colon].Trim();
        var type = AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(typeName)).FirstOrDefault(t => t is not null);
        var section = type is null ? string.Empty : SectionOf(type);
        var keys = message[(colon + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(k => k.Trim('\''))
            .Select(k => section.Length == 0 ? k : $"{section}:{k}");
        return $"unknown configuration key {string.Join(", ", keys)} (check the spelling against the component's README)";
    }

    private static string SectionOf(Type type)
    {
        var field = type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static);
        return field?.GetValue(null) as string ?? string.Empty;
    }

    private static string Qualify(string section, string failure)
    {
        // DataAnnotations failures read "DataAnnotation validation failed for 'X' members: 'Member' with the error: '...'"
        const string marker = "members: '";
        var i = failure.IndexOf(marker, StringComparison.Ordinal);
        if (i >= 0)
        {
            var start = i + marker.Length;
            var end = failure.IndexOf('\'', start);
            if (end > start)
            {
                var member = failure[start..end];
                var key = section.Length == 0 ? member : $"{section}:{member}";
                var error = failure[(end + 1)..].Trim();
                const string with = "with the error: '";
                var w = error.IndexOf(with, StringComparison.Ordinal);
                if (w >= 0)
                {
                    error = error[(w + with.Length)..].TrimEnd('.').TrimEnd('\'');
                }

                return $"{key}: {error}";
            }
        }

        return section.Length == 0 ? failure : $"{section}: {failure}";
    }
}
