using System.CommandLine;
using System.Globalization;
using Unitization.Host.Hosting;
using Unitization.Namespaces;
using Unitization.Namespaces.Edits;
using Unitization.Namespaces.Local;

namespace Unitization.Host.Cli;

/// <summary>
/// <c>unitization fs ls|stat|cat|put|mkdir|mv|rm|edits|recover --namespace dcA ...</c>: poke a datacenter's namespace.
/// Paths are a user's: Unitization's internal folder (<see cref="NamespacePath.InternalRoot"/>) is refused and never listed.
/// Every verb prints the namespace's warnings (a torn last edit dropped, an edit that cannot be applied) on standard error.
/// </summary>
public static class FsCommand
{
    private static readonly Option<string> NamespaceOption = new("--namespace", "-n")
    {
        Description = "The datacenter whose namespace to use (an Id under Datacenters in the configuration).",
        Required = true,
        Recursive = true,
    };

    private static readonly Option<FileInfo> ConfigOption = new("--config")
    {
        Description = "The JSON configuration file.",
        DefaultValueFactory = _ => new FileInfo(Path.Join("infra", "config", "unitization.json")),
        Recursive = true,
    };

    private static readonly Option<string?> DataOption = new("--data")
    {
        Description = "Overrides the configuration's DataFolder.",
        Recursive = true,
    };

    public static Command Create()
    {
        var fs = new Command("fs", "Inspect and change a datacenter's namespace (local directory plus edit log).")
        {
            NamespaceOption, ConfigOption, DataOption,
        };
        fs.Subcommands.Add(Ls());
        fs.Subcommands.Add(Stat());
        fs.Subcommands.Add(Cat());
        fs.Subcommands.Add(Put());
        fs.Subcommands.Add(Mkdir());
        fs.Subcommands.Add(Mv());
        fs.Subcommands.Add(Rm());
        fs.Subcommands.Add(Edits());
        fs.Subcommands.Add(Recover());
        return fs;
    }

    private static Command Ls()
    {
        var path = PathArgument("The directory (or file) to list.", "/");
        var command = new Command("ls", "List a directory: type, size, modification time, last txid touching it, path.") { path };
        Run(command, write: false, async (parse, ns, ct) =>
        {
            await foreach (var entry in ns.ListAsync(UserPath(parse, path), ct).ConfigureAwait(false))
            {
                Console.WriteLine(FormatEntry(entry));
            }

            return 0;
        });
        return command;
    }

    private static Command Stat()
    {
        var path = PathArgument("The file or directory.");
        var command = new Command("stat", "Show a file's or directory's status (and a file's checksum).") { path };
        Run(command, write: false, async (parse, ns, ct) =>
        {
            var target = UserPath(parse, path);
            var entry = await ns.GetStatusAsync(target, ct).ConfigureAwait(false)
                ?? throw new FileNotFoundException($"{ns.Name}:{NamespacePath.Normalize(target)} does not exist.");
            Console.WriteLine($"path      {entry.Path}");
            Console.WriteLine($"type      {(entry.IsDirectory ? "directory" : "file")}");
            Console.WriteLine($"length    {entry.Length}");
            Console.WriteLine($"modified  {entry.ModificationTime:O}");
            Console.WriteLine($"last txid {entry.LastTxId}");
            if (!entry.IsDirectory)
            {
                var checksum = await ns.GetChecksumAsync(target, ct).ConfigureAwait(false);
                Console.WriteLine($"checksum  {checksum.Algorithm}:{checksum.Hex}");
            }

            return 0;
        });
        return command;
    }

    private static Command Cat()
    {
        var path = PathArgument("The file to print.");
        var command = new Command("cat", "Write a file's bytes to standard output.") { path };
        Run(command, write: false, async (parse, ns, ct) =>
        {
            var stream = await ns.OpenReadAsync(UserPath(parse, path), ct).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var stdout = Console.OpenStandardOutput();
                await using (stdout.ConfigureAwait(false))
                {
                    await stream.CopyToAsync(stdout, ct).ConfigureAwait(false);
                }
            }

            return 0;
        });
        return command;
    }

    private static Command Put()
    {
        var local = new Argument<string>("local") { Description = "The local file to upload, or '-' for standard input." };
        var path = PathArgument("Where to put it in the namespace.");
        var overwrite = new Option<bool>("--overwrite", "-f") { Description = "Replace an existing file." };
        var command = new Command("put", "Upload a file (written to a temporary file, renamed into place, one Create edit).") { local, path, overwrite };
        Run(command, write: true, async (parse, ns, ct) =>
        {
            var source = parse.GetValue(local)!;
            if (source != "-" && !File.Exists(source))
            {
                throw new FileNotFoundException($"Local file '{Path.GetFullPath(source)}' does not exist.");
            }

            var edit = await ns.CreateAsync(
                UserPath(parse, path),
                async (destination, token) =>
                {
                    var input = source == "-" ? Console.OpenStandardInput() : File.OpenRead(source);
                    await using (input.ConfigureAwait(false))
                    {
                        await input.CopyToAsync(destination, token).ConfigureAwait(false);
                    }
                },
                parse.GetValue(overwrite),
                ct).ConfigureAwait(false);
            Console.WriteLine(FormatEdit(edit));
            return 0;
        });
        return command;
    }

    private static Command Mkdir()
    {
        var path = PathArgument("The directory to create, with its missing parents.");
        var command = new Command("mkdir", "Create a directory and its missing parents (one Mkdirs edit).") { path };
        Run(command, write: true, async (parse, ns, ct) =>
        {
            var edit = await ns.MkdirsAsync(UserPath(parse, path), ct).ConfigureAwait(false);
            Console.WriteLine(edit is null ? "exists already; no edit" : FormatEdit(edit));
            return 0;
        });
        return command;
    }

    private static Command Mv()
    {
        var source = PathArgument("The file or directory to move.");
        var destination = new Argument<string>("destination") { Description = "Where to move it; must not exist." };
        var command = new Command("mv", "Rename a file or a whole directory atomically (one Rename edit).") { source, destination };
        Run(command, write: true, async (parse, ns, ct) =>
        {
            Console.WriteLine(FormatEdit(await ns.RenameAsync(UserPath(parse, source), UserPath(parse, destination), ct).ConfigureAwait(false)));
            return 0;
        });
        return command;
    }

    private static Command Rm()
    {
        var path = PathArgument("The file or directory to delete.");
        var recursive = new Option<bool>("--recursive", "-r") { Description = "Delete a non-empty directory with everything under it." };
        var command = new Command("rm", "Delete a file or directory (one Delete edit).") { path, recursive };
        Run(command, write: true, async (parse, ns, ct) =>
        {
            var edit = await ns.DeleteAsync(UserPath(parse, path), parse.GetValue(recursive), ct).ConfigureAwait(false);
            if (edit is null)
            {
                await Console.Error.WriteLineAsync($"unitization fs rm: {ns.Name}:{NamespacePath.Normalize(parse.GetValue(path))} does not exist.").ConfigureAwait(false);
                return 1;
            }

            Console.WriteLine(FormatEdit(edit));
            return 0;
        });
        return command;
    }

    private static Command Edits()
    {
        var since = new Option<long>("--since") { Description = "Print the edits after this txid.", DefaultValueFactory = _ => 0 };
        var follow = new Option<bool>("--follow") { Description = "Keep printing new edits as they are logged, until Ctrl-C." };
        var command = new Command(
            "edits",
            "Print the edit log: txid, op, path, size, checksum, time; an edit that is logged but could not be applied, or that fs recover wrote in place of a corrupt frame, is marked.")
        {
            since, follow,
        };
        Run(command, write: false, async (parse, ns, ct) =>
        {
            var local = ns as LocalNamespace;
            var unapplied = local?.UnappliedEdits.ToDictionary(u => u.TxId) ?? [];
            try
            {
                await foreach (var edit in ns.EditsSinceAsync(new TxId(parse.GetValue(since)), parse.GetValue(follow), ct).ConfigureAwait(false))
                {
                    var mark = unapplied.TryGetValue(edit.TxId.Value, out var failed)
                        ? $"  [NOT APPLIED: {failed.Reason}; run 'unitization fs recover --namespace {ns.Name}']"
                        : local?.NoteOf(edit.TxId) is { } note ? $"  [{note}]" : string.Empty;
                    Console.WriteLine(FormatEdit(edit) + mark);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Ctrl-C ends a follow
            }

            return 0;
        });
        return command;
    }

    private static Command Recover()
    {
        var truncate = new Option<bool>("--truncate-at-corruption") { Description = "A corrupt edit log: cut it at the corruption (the edits after it are lost)." };
        var skip = new Option<bool>("--skip-frame") { Description = "A corrupt edit log: replace the bad frame with placeholder edits, keeping every edit after it." };
        var accept = new Option<bool>("--accept-disk-state") { Description = "Edits that cannot be applied: log what the disk holds for their paths, keeping every edit." };
        var yes = new Option<bool>("--yes", "-y") { Description = "Do it without asking for confirmation." };
        var command = new Command(
            "recover",
            "With the service stopped: resolve what keeps the namespace from opening cleanly (a corrupt edit log, edits that cannot be applied), " +
            "offering the choices and printing what each does first. Copies the log aside before changing it.")
        {
            truncate, skip, accept, yes,
        };
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(truncate) && parse.GetValue(skip))
            {
                await Console.Error.WriteLineAsync("unitization fs recover: choose one of --truncate-at-corruption and --skip-frame.").ConfigureAwait(false);
                return 1;
            }

            var choices = new FsRecoverChoices(
                parse.GetValue(truncate) ? CorruptionChoice.Truncate : parse.GetValue(skip) ? CorruptionChoice.Skip : null,
                parse.GetValue(accept),
                parse.GetValue(yes));
            var recover = new FsRecover(Console.Out, Console.In, !Console.IsInputRedirected, choices, TimeProvider.System);
            try
            {
                return await recover.RunAsync(() => OpenSession(parse, write: true), ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or KeyNotFoundException or NotSupportedException or ConfigurationFileException
                                           or InvalidOperationException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"unitization fs recover: {ex.Message}").ConfigureAwait(false);
                return 1;
            }
        });
        return command;
    }

    /// <summary>A path a user gave: normalized, and never Unitization's internal folder.</summary>
    private static string UserPath(ParseResult parse, Argument<string> argument) => NamespacePath.RequireUserPath(parse.GetValue(argument));

    private static FsSession OpenSession(ParseResult parse, bool write) =>
        FsSession.Open(parse.GetValue(ConfigOption)!.FullName, parse.GetValue(DataOption), parse.GetValue(NamespaceOption)!, write);

    private static Argument<string> PathArgument(string description, string? defaultValue = null)
    {
        var argument = new Argument<string>("path") { Description = description };
        if (defaultValue is not null)
        {
            argument.DefaultValueFactory = _ => defaultValue;
        }

        return argument;
    }

    private static void Run(Command command, bool write, Func<ParseResult, INamespace, CancellationToken, Task<int>> action) =>
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                using var session = OpenSession(parse, write);
                return await action(parse, session.Namespace, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or NamespacePathException or KeyNotFoundException or NotSupportedException
                                           or ConfigurationFileException or InvalidOperationException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"unitization fs {command.Name}: {ex.Message}").ConfigureAwait(false);
                return 1;
            }
        });

    private static string FormatEntry(NamespaceEntry entry) => string.Create(
        CultureInfo.InvariantCulture,
        $"{(entry.IsDirectory ? 'd' : '-')} {entry.Length,12} {entry.ModificationTime:yyyy-MM-dd HH:mm:ss} txid {entry.LastTxId,-8} {entry.Path}");

    internal static string FormatEdit(EditRecord edit) => string.Create(
        CultureInfo.InvariantCulture,
        $"{edit.TxId,-8} {edit.Op,-8} {edit.Path}{(edit.Destination is null ? string.Empty : (edit.Op == EditOp.Exchange ? " <-> " : " -> ") + edit.Destination)} size={edit.Size} checksum={edit.Checksum ?? "-"} at={edit.Timestamp:O}");
}
