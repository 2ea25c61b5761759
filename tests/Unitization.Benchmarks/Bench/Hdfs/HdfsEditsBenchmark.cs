using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Unitization.Hdfs.EditLog;
using Unitization.TestUtils.Hdfs;

namespace Unitization.Benchmarks.Bench.Hdfs;

/// <summary>
/// <c>unitization bench hdfs-edits</c>: decodes an edit log segment of N ops (a NameNode's usual mix: file creates
/// with their block allocations and closes, mkdirs, renames, deletes, attribute changes) on one thread, against a
/// baseline of reading the segment file's bytes, run side by side in alternating rounds; prints ops/s and the ratio.
/// </summary>
internal static class HdfsEditsBenchmark
{
    // a NameNode's usual mix: per file ADD, ALLOCATE_BLOCK_ID, SET_GENSTAMP_V2, ADD_BLOCK, CLOSE; then directory and namespace ops
    private static readonly (EditLogOpCode Code, int Weight)[] Mix =
    [
        (EditLogOpCode.OP_ADD, 12), (EditLogOpCode.OP_ALLOCATE_BLOCK_ID, 12), (EditLogOpCode.OP_SET_GENSTAMP_V2, 12),
        (EditLogOpCode.OP_ADD_BLOCK, 12), (EditLogOpCode.OP_CLOSE, 12), (EditLogOpCode.OP_MKDIR, 8), (EditLogOpCode.OP_RENAME, 6),
        (EditLogOpCode.OP_RENAME_OLD, 3), (EditLogOpCode.OP_DELETE, 6), (EditLogOpCode.OP_TIMES, 3), (EditLogOpCode.OP_SET_PERMISSIONS, 2),
        (EditLogOpCode.OP_SET_OWNER, 2), (EditLogOpCode.OP_UPDATE_BLOCKS, 2), (EditLogOpCode.OP_SET_REPLICATION, 1), (EditLogOpCode.OP_APPEND, 1),
    ];

    public static Command Create()
    {
        var ops = new Option<int>("--ops") { Description = "Ops in the segment.", DefaultValueFactory = _ => 1_000_000 };
        var layout = new Option<int>("--layout") { Description = "Layout version of the segment (-51 .. -67).", DefaultValueFactory = _ => EditLogLayout.Newest };
        var command = new Command("hdfs-edits", "Edit log decode ops/s on one thread vs reading the segment file's bytes.") { ops, layout };
        command.SetAction(parse => Run(parse.GetValue(ops), parse.GetValue(layout), Console.Out));
        return command;
    }

    public static int Run(int opCount, int layoutVersion, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (opCount < 10_000 || !EditLogLayout.IsSupported(layoutVersion))
        {
            Console.Error.WriteLine($"bench hdfs-edits: --ops must be >= 10000 and --layout within {EditLogLayout.Newest}..{EditLogLayout.Oldest}");
            return 2;
        }

        var file = Path.Combine(Path.GetTempPath(), $"unitization-bench-edits-{Environment.ProcessId}");
        try
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"writing a segment of {opCount:N0} ops, layout {layoutVersion} ..."));
            var random = new Random(42);
            var ops = new RandomOps(42, layoutVersion);
            var total = Mix.Sum(m => m.Weight);
            var segment = EditLogEncoder.Segment(layoutVersion, Enumerable.Range(1, opCount).Select(i => ops.Op(Pick(random.Next(total)), i)));
            File.WriteAllBytes(file, segment);

            // warm up both (tiered JIT, page cache)
            Baseline(file);
            Decode(file);
            GC.Collect();

            const int Rounds = 5;
            var runs = new (string Name, Func<long> Run)[]
            {
                ("baseline: read the file's bytes", () => Baseline(file)),
                ("read + decode every op (checksums verified)", () => Decode(file, pathEdits: false)),
                ("read + decode + the ops' path edits", () => Decode(file, pathEdits: true)),
            };
            var wall = runs.Select(_ => new double[Rounds]).ToArray();
            var cpu = runs.Select(_ => new double[Rounds]).ToArray();
            var edits = 0L;
            for (var r = 0; r < Rounds; r++)
            {
                for (var k = 0; k < runs.Length; k++)
                {
                    var run = runs[k].Run;
                    (wall[k][r], cpu[k][r]) = Time(() => edits = run());
                }
            }

            var inv = CultureInfo.InvariantCulture;
            output.WriteLine(string.Create(inv, $"segment: {segment.Length / 1e6:F1} MB, {opCount:N0} ops ({segment.Length / (double)opCount:F0} bytes/op), {edits:N0} path edits"));
            output.WriteLine("| run (one thread) | wall s | ops/s | MB/s | ratio | CPU s | ops per CPU s | ratio |");
            output.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
            var baseWall = Median(wall[0]);
            var baseCpu = Median(cpu[0]);
            for (var k = 0; k < runs.Length; k++)
            {
                var w = Median(wall[k]);
                var c = Median(cpu[k]);
                output.WriteLine(string.Create(inv,
                    $"| {runs[k].Name} | {w:F3} | {opCount / w:N0} | {segment.Length / w / 1e6:F0} | {w / baseWall:F2} | {c:F3} | {opCount / c:N0} | {c / baseCpu:F2} |"));
            }

            var decodeWall = Median(wall[2]);
            var decodeCpu = Median(cpu[2]);
            output.WriteLine(string.Create(inv, $"(medians of {Rounds} alternating rounds; CPU: the process's CPU time, GC threads included, without the time other processes held the core)"));
            output.WriteLine($"goal >= 1,000,000 ops/s on one core (decode + path edits): {(opCount / decodeWall >= 1_000_000 ? "met" : "NOT met")} by wall clock, {(opCount / decodeCpu >= 1_000_000 ? "met" : "NOT met")} per CPU second");
            return 0;
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static EditLogOpCode Pick(int draw)
    {
        foreach (var (code, weight) in Mix)
        {
            if (draw < weight)
            {
                return code;
            }

            draw -= weight;
        }

        return Mix[^1].Code;
    }

    private static long Baseline(string file) => File.ReadAllBytes(file).Length;

    private static long Decode(string file, bool pathEdits = true)
    {
        var decoder = new EditLogDecoder(File.ReadAllBytes(file));
        var edits = 0L;
        while (decoder.TryRead(out var op) == EditLogReadStatus.Op)
        {
            if (pathEdits)
            {
                foreach (var _ in PathEdits.Of(op!))
                {
                    edits++;
                }
            }
        }

        return edits;
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    private static (double Wall, double Cpu) Time(Action action)
    {
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        action();
        var wall = watch.Elapsed.TotalSeconds;
        process.Refresh();
        return (wall, (process.TotalProcessorTime - cpuBefore).TotalSeconds);
    }
}
