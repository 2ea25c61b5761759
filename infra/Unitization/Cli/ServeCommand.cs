using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Unitization.Host.Hosting;
using Unitization.Namespaces.Configuration;
using Unitization.Replication.Metastore;
using Unitization.SampleHms;

namespace Unitization.Host.Cli;

/// <summary><c>unitization serve --roles ... --config FILE</c>: one ASP.NET Core host with the chosen roles.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var roles = new Option<string>("--roles")
        {
            Description = "Comma-separated roles: datamanager, replicator, router, analytics, throttle, or all.",
            DefaultValueFactory = _ => "all",
        };
        var config = new Option<FileInfo>("--config")
        {
            Description = "The JSON configuration file (see infra/config/unitization.json).",
            Required = true,
        };
        var urls = new Option<string>("--urls")
        {
            Description = "Where to listen.",
            DefaultValueFactory = _ => "http://127.0.0.1:8080",
        };
        var kafka = new Option<string?>("--kafka")
        {
            Description = "Bootstrap servers of a real Kafka (host:port[,host:port]); default: the dev broker's address file.",
        };
        var data = new Option<string?>("--data") { Description = "Overrides the configuration's DataFolder." };

        var sampleHms = new Option<bool>("--sample-hms")
        {
            Description = "Also run the sample Hive Metastore (address in DataFolder/sample-hms.uri) and its workload writing sales.orders in dcA.",
        };
        var sampleHmsInterval = new Option<TimeSpan>("--sample-hms-interval")
        {
            Description = "With --sample-hms: add one partition this often (00:00:00: serve the catalog only).",
            DefaultValueFactory = _ => TimeSpan.FromSeconds(2),
        };
        sampleHmsInterval.Validators.Add(result =>
        {
            var interval = result.GetValueOrDefault<TimeSpan>();
            if (interval != TimeSpan.Zero && (interval < TimeSpan.FromMilliseconds(10) || interval > TimeSpan.FromDays(1)))
            {
                result.AddError($"--sample-hms-interval {interval} must be 00:00:00 (serve the catalog only) or from 00:00:00.010 to 1.00:00:00.");
            }
        });
        var sampleHmsHive = new Option<SampleHmsVersion>("--sample-hms-hive")
        {
            DefaultValueFactory = _ => SampleHmsVersion.Hive4,
            Description = "The sample HMS answers as Hive4 (no get_table, the default) or Hive3.",
        };
        var sampleHmsFormat = new Option<string>("--sample-hms-message-format")
        {
            DefaultValueFactory = _ => HiveMessageFormat.GzipJson,
            Description = $"The sample HMS's event messages: '{HiveMessageFormat.GzipJson}' (GzipJSONMessageEncoder, the default) or '{HiveMessageFormat.Json}' (JSONMessageEncoder).",
        };
        sampleHmsFormat.AcceptOnlyFromAmong(HiveMessageFormat.GzipJson, HiveMessageFormat.Json);
        var command = new Command("serve", "Run the service with the given roles.") { roles, config, urls, kafka, data, sampleHms, sampleHmsInterval, sampleHmsHive, sampleHmsFormat };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var configPath = parse.GetValue(config)!.FullName;
            Role parsedRoles;
            try
            {
                parsedRoles = RoleList.Parse(parse.GetValue(roles)!);
            }
            catch (FormatException ex)
            {
                await Console.Error.WriteLineAsync($"--roles: {ex.Message}").ConfigureAwait(false);
                return 2;
            }

            WebApplication app;
            try
            {
                var sample = parse.GetValue(sampleHms) ? new SampleHmsSettings(parse.GetValue(sampleHmsInterval)) { Version = parse.GetValue(sampleHmsHive), MessageFormat = parse.GetValue(sampleHmsFormat)! } : null;
                app = UnitizationHost.Build(new ServeSettings(configPath, parsedRoles, parse.GetValue(urls)!, parse.GetValue(kafka), parse.GetValue(data), SampleHms: sample));
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // the process reports any start failure as a configuration error and exits
            catch (Exception ex)
#pragma warning restore CA1031
            {
                await Console.Error.WriteLineAsync("unitization serve: cannot start: " + OptionsFailure.Describe(ex, configPath)).ConfigureAwait(false);
                return 1;
            }

            // through the log, so that with Logging:Format json every line of the output is one JSON object
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Unitization.Host");
            foreach (var url in app.Urls)
            {
                HostLog.Listening(logger, url, string.Join(",", RoleList.Format(parsedRoles)));
            }

            await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
