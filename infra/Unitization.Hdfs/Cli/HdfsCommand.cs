using System.CommandLine;
using System.Text;
using Unitization.Hdfs.EditLog;
using Unitization.Hdfs.EditLog.Output;

namespace Unitization.Hdfs.Cli;

/// <summary><c>unitization hdfs edits decode FILE [--format xml|json]</c>: prints a NameNode edit log segment.</summary>
public static class HdfsCommand
{
    public static Command Create()
    {
        var hdfs = new Command("hdfs", "HDFS formats: read a NameNode's edit log.");
        var edits = new Command("edits", "NameNode edit log segments (edits_* files, as a JournalNode keeps them).");
        edits.Subcommands.Add(Decode());
        hdfs.Subcommands.Add(edits);
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
