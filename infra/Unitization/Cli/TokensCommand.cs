using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Unitization.Host.Hosting;
using Unitization.Host.Security;
using Unitization.Namespaces.Configuration;
using Unitization.StateStore;

namespace Unitization.Host.Cli;

/// <summary>
/// <c>unitization tokens create|list|revoke|hash</c>: API tokens for automation. <c>create</c> prints the token once and
/// stores only its SHA-256 in the state store; a running service accepts it within seconds.
/// </summary>
public static class TokensCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo>("--config") { Description = "The JSON configuration file (its state store holds the tokens).", Required = true };
        var data = new Option<string?>("--data") { Description = "Overrides the configuration's DataFolder." };
        var name = new Option<string>("--name") { Description = "The token's name (who or what uses it, e.g. airflow-prod).", Required = true };
        var roles = new Option<string[]>("--role")
        {
            Description = "A role: reader, scheduler, operator, admin or service (repeat for several).",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        roles.AcceptOnlyFromAmong([.. ApiRoles.Names]);

        var create = new Command("create", "Create an API token: prints it once, stores only its SHA-256.") { config, data, name, roles };
        create.SetAction(async (parse, cancellationToken) =>
        {
            var tokenName = parse.GetValue(name)!.Trim();
            if (tokenName.Length == 0 || tokenName.Any(char.IsControl))
            {
                await Console.Error.WriteLineAsync("--name: give a name without control characters").ConfigureAwait(false);
                return 2;
            }

            var parsed = parse.GetValue(roles)!.Select(r => ApiRoles.TryParse(r, out var role) ? role : ApiRole.None).Distinct().ToList();
            var token = ApiTokenText.Create();
            await using var state = await OpenAsync(parse.GetValue(config)!, parse.GetValue(data), cancellationToken).ConfigureAwait(false);
            await using var connection = await state.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
            var stored = new StoredApiToken(tokenName, parsed, ApiTokenText.Sha256Hex(token));
            if (!await ApiTokenStore.AddAsync(connection, stored, TimeProvider.System.GetUtcNow(), cancellationToken).ConfigureAwait(false))
            {
                await Console.Error.WriteLineAsync($"--name: a token named '{tokenName}' exists; revoke it first (unitization tokens revoke --name {tokenName})").ConfigureAwait(false);
                return 1;
            }

            Console.WriteLine(token);
            await Console.Error.WriteLineAsync($"token '{tokenName}' ({string.Join(", ", parsed.Select(ApiRoles.Name))}) stored as its SHA-256; this is the only time it is shown").ConfigureAwait(false);
            return 0;
        });

        var list = new Command("list", "List the stored tokens (names and roles; never the tokens).") { config, data };
        list.SetAction(async (parse, cancellationToken) =>
        {
            await using var state = await OpenAsync(parse.GetValue(config)!, parse.GetValue(data), cancellationToken).ConfigureAwait(false);
            await using var connection = await state.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
            foreach (var token in await ApiTokenStore.ListActiveAsync(connection, cancellationToken).ConfigureAwait(false))
            {
                Console.WriteLine($"{token.Name}\t{string.Join(",", token.Roles.Select(ApiRoles.Name))}");
            }

            return 0;
        });

        var revoke = new Command("revoke", "Revoke a stored token by name (refused within seconds).") { config, data, name };
        revoke.SetAction(async (parse, cancellationToken) =>
        {
            await using var state = await OpenAsync(parse.GetValue(config)!, parse.GetValue(data), cancellationToken).ConfigureAwait(false);
            await using var connection = await state.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
            if (!await ApiTokenStore.RevokeAsync(connection, parse.GetValue(name)!, TimeProvider.System.GetUtcNow(), cancellationToken).ConfigureAwait(false))
            {
                await Console.Error.WriteLineAsync($"--name: no active token named '{parse.GetValue(name)}'").ConfigureAwait(false);
                return 1;
            }

            return 0;
        });

        var text = new Argument<string>("token") { Description = "The token (or read it from standard input with '-')." };
        var hash = new Command("hash", "Print a token's SHA-256, for Security:ApiTokens in a configuration file.") { text };
        hash.SetAction(async (parse, cancellationToken) =>
        {
            var value = parse.GetValue(text)!;
            if (value == "-")
            {
                value = (await Console.In.ReadLineAsync(cancellationToken).ConfigureAwait(false) ?? string.Empty).Trim();
            }

            Console.WriteLine(ApiTokenText.Sha256Hex(value));
            return 0;
        });

        return new Command("tokens", "API tokens for automation (stored hashed in the state store).") { create, list, revoke, hash };
    }

    private static async Task<StateAccess> OpenAsync(FileInfo config, string? dataFolder, CancellationToken cancellationToken)
    {
        var configuration = ConfigurationFile.ForCommand(config.FullName, dataFolder);
        var topology = new TopologyOptions();
        configuration.Bind(topology, o => o.ErrorOnUnknownConfiguration = false);
        var services = new ServiceCollection();
        services.AddLogging(l => l.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        services.AddStateStore(configuration, Path.GetFullPath(topology.DataFolder));
        foreach (var migration in SecuritySchema.All)
        {
            services.AddStateMigration(migration);
        }
        var provider = services.BuildServiceProvider();
        var database = provider.GetRequiredService<IStateDatabase>();
        await database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        return new StateAccess(provider, database);
    }

    private sealed class StateAccess(ServiceProvider provider, IStateDatabase database) : IAsyncDisposable
    {
        public IStateDatabase Database { get; } = database;

        public ValueTask DisposeAsync() => provider.DisposeAsync();
    }
}
