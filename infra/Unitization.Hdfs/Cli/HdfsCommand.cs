using System.CommandLine;
using System.Text;
using Microsoft.Extensions.Logging;
using Unitization.Hdfs.EditLog;
using Unitization.Hdfs.EditLog.Output;
using Unitization.Hdfs.JournalNode;
using Unitization.Namespaces;

namespace Unitization.Hdfs.Cli;

/// <summary>
/// <c>unitization hdfs edits decode FILE [--format xml|json]</c>: prints a NameNode edit log segment;
/// <c>unitization hdfs journalnode ...</c>: the JournalNode double serving a gateway-backed namespace's edits.
/// </summary>
public static class HdfsCommand
{
    public static Command Create()
    {
        var hdfs = new Command("hdfs", "HDFS formats: read a NameNode's edit log; serve a namespace's edits as a JournalNode does.");
        var edits = new Command("edits", "NameNode edit log segments (edits_* files, as a JournalNode keeps them).");
        edits.Subcommands.Add(Decode());
        hdfs.Subcommands.Add(edits);
        hdfs.Subcommands.Add(JournalNodeVerb());
        return hdfs;
    }

    private static Command Decode()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "An edit log segment (edits_N-M or edits_inprogress_N)." };
        var format = new Option<string>("--format")
        {
            Description = "xml: exactly what `hdfs oev -p xml` prints; json: one object per op and line.",
            DefaultValueFactory = _ => "xml",
        };
        format.AcceptOnlyFromAmong("xml", "json");
        var command = new Command("decode", "Print a segment's ops (layout versions -51 through -67; checksums verified).") { file, format };
        command.SetAction(parse => Run(parse.GetValue(file)!, parse.GetValue(format)!));
        return command;
    }

    private static Command JournalNodeVerb()
    {
        var namespaceRoot = new Option<DirectoryInfo>("--namespace-root")
        {
            Description = "The root of the local namespace whose edits are served (the directory a gateway serves over WebHDFS).",
            Required = true,
        };
        var journalDir = new Option<DirectoryInfo>("--journal-dir")
        {
            Description = "Where the segments are written (<dir>/<journal id>/current/edits_*; rebuilt at start).",
            Required = true,
        };
        var journalId = new Option<string>("--journal-id") { Description = "The journal id (the nameservice's).", DefaultValueFactory = _ => "unitization" };
        var port = new Option<int>("--port") { Description = "HTTP port (dfs.journalnode.http-address's default is 8480; 0: any free port).", DefaultValueFactory = _ => 8480 };
        var bind = new Option<string>("--bind") { Description = "Address to listen on.", DefaultValueFactory = _ => "127.0.0.1" };
        var segmentOps = new Option<int>("--segment-ops") { Description = "Ops per segment before it is finalized (2-1000000).", DefaultValueFactory = _ => 50 };
        var subtree = new Option<string>("--subtree")
        {
            Description = "The directory of the namespace that stands for HDFS's root (the gateway's mount target); its edits are logged with paths relative to it.",
            DefaultValueFactory = _ => "/",
        };
        var layout = new Option<int>("--layout") { Description = $"Layout version written ({EditLogLayout.Oldest} .. {EditLogLayout.Newest}).", DefaultValueFactory = _ => EditLogLayout.Newest };
        port.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 0 or > 65535) { r.AddError("--port must be 0-65535."); } });
        segmentOps.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 2 or > 1_000_000) { r.AddError("--segment-ops must be 2-1000000."); } });
        layout.Validators.Add(r => { if (!EditLogLayout.IsSupported(r.GetValueOrDefault<int>())) { r.AddError($"--layout must be {EditLogLayout.Oldest} .. {EditLogLayout.Newest}."); } });
        journalId.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string>() is not { Length: > 0 } id || id.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')) || id is "." or "..")
            {
                r.AddError("--journal-id must be letters, digits, '.', '_' or '-'.");
            }
        });
        var command = new Command(
            "journalnode",
            "A JournalNode double: follows a local namespace's edit log (next to the gateway that writes it), writes it as a NameNode's edit log " +
            "segments (finalized and in progress) and serves them as a JournalNode's HTTP server does (GET /getJournal). Runs until stopped.")
        {
            namespaceRoot, journalDir, journalId, port, bind, segmentOps, subtree, layout,
        };
        command.SetAction((parse, cancellationToken) => RunJournalNodeAsync(
            parse.GetValue(namespaceRoot)!.FullName, parse.GetValue(journalDir)!.FullName, parse.GetValue(journalId)!,
            $"http://{parse.GetValue(bind)}:{parse.GetValue(port)}", parse.GetValue(segmentOps), parse.GetValue(layout), parse.GetValue(subtree)!, cancellationToken));
        return command;
    }

    private static async Task<int> RunJournalNodeAsync(
        string namespaceRoot, string journalDir, string journalId, string url, int segmentOps, int layout, string subtree, CancellationToken cancellationToken)
    {
        try
        {
            NamespacePath.Normalize(subtree);
        }
        catch (NamespacePathException ex)
        {
            await Console.Error.WriteLineAsync($"--subtree '{subtree}': {ex.Message}").ConfigureAwait(false);
            return 2;
        }

        using var logging = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));
        var journal = new GatewayJournal(
            namespaceRoot, Path.Combine(journalDir, journalId, "current"), journalId, layout, segmentOps, TimeProvider.System, logging.CreateLogger<GatewayJournal>(), subtree);
        await using var server = await JournalNodeHttpServer.StartAsync(journalDir, url, $"{layout}:1:0:CID-unitization", logging).ConfigureAwait(false);
        await Console.Out.WriteLineAsync($"JournalNode double for {namespaceRoot} at {server.BaseAddress} (journal id {journalId}, segments in {journalDir})").ConfigureAwait(false);
        // SIGTERM and Ctrl-C reach the server's host first: its stopping ends the follow too
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, server.Stopping);
        await journal.RunAsync(stop.Token).ConfigureAwait(false);
        return 0;
    }

    /// <summary>Decodes <paramref name="file"/> to stdout; on bad data prints what came before, the error on stderr, and returns 1.</summary>
    internal static int Run(FileInfo file, string format)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file.FullName);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: cannot read {file.FullName}: {ex.Message}");
            return 2;
        }

        using var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16);
        return Write(bytes, format, stdout, Console.Error, file.FullName);
    }

    internal static int Write(ReadOnlyMemory<byte> segment, string format, TextWriter output, TextWriter errors, string name)
    {
        EditLogDecoder decoder;
        try
        {
            decoder = new EditLogDecoder(segment);
        }
        catch (EditLogFormatException ex)
        {
            errors.WriteLine($"error: {name}: {ex.Message}");
            return 1;
        }

        var xml = format == "xml" ? new OevXmlWriter(output) : null;
        var json = xml is null ? new EditLogJsonWriter(output, decoder.LayoutVersion) : null;
        xml?.WriteStart(decoder.LayoutVersion);
        try
        {
            foreach (var op in decoder.ReadAll())
            {
                if (xml is not null)
                {
                    xml.WriteOp(op);
                }
                else
                {
                    json!.WriteOp(op);
                }
            }
        }
        catch (EditLogFormatException ex)
        {
            xml?.WriteEnd();
            output.Flush();
            errors.WriteLine($"error: {name}: {ex.Message}");
            return 1;
        }

        xml?.WriteEnd();
        output.Flush();
        return 0;
    }
}
