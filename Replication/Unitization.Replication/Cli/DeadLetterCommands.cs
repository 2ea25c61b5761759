using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Unitization.Replication.DeadLetters;
using Unitization.Replication.Events;
using Unitization.Replication.Hosting;

namespace Unitization.Replication.Cli;

/// <summary><c>unitization replication dead-letters list|replay</c>: the parked events, read from the dead-letter topic.</summary>
internal static class DeadLetterCommands
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create()
    {
        var deadLetters = new Command("dead-letters", "Events the replicator could not apply (Replication:DeadLetterTopic): list them, replay them.")
        {
            List(),
            Replay(),
        };
        return new Command("replication", "Replication operations.") { deadLetters };
    }

    private static Command List()
    {
        var limit = new Option<int>("--limit") { Description = "Show at most this many (the newest).", DefaultValueFactory = _ => 100 };
        var json = new Option<bool>("--json") { Description = "Print JSON (every field, full values) instead of a table." };
        var config = ReplicationCommands.ConfigOption();
        var data = ReplicationCommands.DataOption();
        var list = new Command("list", "List the dead letters: id (partition-offset), when, table, event, reason.") { limit, json, config, data };
        list.SetAction(async (parse, cancellationToken) => await RunAsync("list", parse.GetValue(config)!, parse.GetValue(data), async topic =>
        {
            if (parse.GetValue(limit) is < 1 or > 100_000)
            {
                throw new FormatException($"--limit {parse.GetValue(limit)} must be between 1 and 100000.");
            }

            var letters = await topic.ListAsync(parse.GetValue(limit), cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(letters, Json));
                return 0;
            }

            var table = new Table().AddColumns("id", "dead-lettered at", "key", "event", "reason");
            foreach (var letter in letters)
            {
                var what = letter.EventId is { } id ? $"{letter.EventType} #{id.ToString(CultureInfo.InvariantCulture)}" : "(not an event)";
                if (letter.ReplayOf is { } of)
                {
                    what += $" (replay of {of})";
                }

                table.AddRow(
                    Markup.Escape(letter.Id),
                    letter.DeadLetteredAt.ToString("u", CultureInfo.InvariantCulture),
                    Markup.Escape(Printable(letter.Key ?? string.Empty, 40)),
                    Markup.Escape(what),
                    Markup.Escape(Printable(letter.Reason, 160)));
            }

            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"{letters.Count} dead letter(s); replay with [bold]unitization replication dead-letters replay --id ID[/] or [bold]--all[/].");
            return 0;
        }).ConfigureAwait(false));
        return list;
    }

    private static Command Replay()
    {
        var ids = new Option<string[]>("--id") { Description = "A dead letter id from 'list' (partition-offset); repeat for several.", AllowMultipleArgumentsPerToken = true };
        var all = new Option<bool>("--all") { Description = "Replay every dead letter in the topic." };
        var config = ReplicationCommands.ConfigOption();
        var data = ReplicationCommands.DataOption();
        var replay = new Command("replay", "Publish dead letters to the events topic again; the workers apply them (a replica already fresh is skipped).")
        {
            ids, all, config, data,
        };
        replay.SetAction(async (parse, cancellationToken) => await RunAsync("replay", parse.GetValue(config)!, parse.GetValue(data), async topic =>
        {
            var chosen = parse.GetValue(ids) ?? [];
            if (parse.GetValue(all) == (chosen.Length > 0))
            {
                throw new FormatException("give --id ID (one or more) or --all.");
            }

            if (chosen.FirstOrDefault(id => !ReplayRequest.IsId(id)) is { } bad)
            {
                throw new FormatException($"--id '{bad}' is not a dead letter id (partition-offset, e.g. 0-12).");
            }

            var replayed = await topic.ReplayAsync(parse.GetValue(all) ? null : chosen, cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"replayed {replayed.Count} dead letter(s){(replayed.Count > 0 ? ": " + string.Join(' ', replayed) : string.Empty)}");
            return 0;
        }).ConfigureAwait(false));
        return replay;
    }

    private static async Task<int> RunAsync(string verb, FileInfo config, string? data, Func<DeadLetterTopic, Task<int>> action)
    {
        try
        {
            await using var services = await CliServices.BuildAsync(config, data, CancellationToken.None).ConfigureAwait(false);
            try
            {
                return await action(services.GetRequiredService<DeadLetterTopic>()).ConfigureAwait(false);
            }
            catch (KafkaException ex)
            {
                // librdkafka's words ("Local: Broker transport failure") do not say which brokers
                var kafka = services.GetRequiredService<ReplicationKafka>().BootstrapServers;
                await Console.Error.WriteLineAsync($"unitization replication dead-letters {verb}: Kafka at {kafka}: {ex.Message}").ConfigureAwait(false);
                return 1;
            }
        }
        catch (FormatException ex)
        {
            await Console.Error.WriteLineAsync($"unitization replication dead-letters {verb}: {ex.Message}").ConfigureAwait(false);
            return 2;
        }
        catch (Exception ex) when (ex is KeyNotFoundException or KafkaException or TimeoutException or InvalidOperationException or FileNotFoundException)
        {
            await Console.Error.WriteLineAsync($"unitization replication dead-letters {verb}: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    private static string Printable(string text, int max)
    {
        var shown = new string(text.Select(c => char.IsControl(c) ? '?' : c).Take(max).ToArray());
        return text.Length > max ? shown + "…" : shown;
    }
}
