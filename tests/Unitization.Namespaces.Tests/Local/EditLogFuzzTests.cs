using Microsoft.Extensions.Time.Testing;
using Unitization.Namespaces.Edits;
using Unitization.Namespaces.Local;
using Unitization.TestUtils;
using Unitization.TestUtils.Namespaces;

namespace Unitization.Namespaces.Tests.Local;

/// <summary>
/// Issue 16's edit-log fuzz: a byte flipped at every offset, and a truncation at every offset, of a small log (every
/// offset) and of a larger one (200 edits, sampled offsets). Every open, read-only and writable, either drops
/// exactly a torn last frame (reporting it) or refuses naming the offset of the bad frame; the edits it keeps are
/// re-read and compared with the intact log's, so nothing is ever lost silently.
/// </summary>
public sealed class EditLogFuzzTests : IDisposable
{
    private readonly TempDirectory _temp = new("unitization-fuzz");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Open_SmallLogWithAByteFlippedAtEveryOffset_DropsOnlyATornLastFrameOrRefusesAtTheFrame()
    {
        var log = await IntactLogAsync(edits: 8);

        for (var offset = 0; offset < log.Bytes.Length; offset++)
        {
            CheckFlipped(log, offset);
        }
    }

    [Fact]
    public async Task Open_SmallLogTruncatedAtEveryOffset_KeepsEveryWholeFrameAndReportsAPartialOne()
    {
        var log = await IntactLogAsync(edits: 8);

        for (var length = 0; length <= log.Bytes.Length; length++)
        {
            CheckTruncated(log, length);
        }
    }

    [Fact]
    public async Task Open_LargeLogWithSampledFlipsAndTruncations_DropsOnlyATornLastFrameOrRefusesAtTheFrame()
    {
        var log = await IntactLogAsync(edits: 200);
        var random = new Random(16);
        var offsets = Enumerable.Range(0, 250).Select(_ => random.Next(log.Bytes.Length))
            .Concat(log.FrameStarts.TakeLast(3).SelectMany(s => Enumerable.Range(s, 12)))
            .Concat(Enumerable.Range(0, 12))
            .Where(o => o < log.Bytes.Length)
            .Distinct()
            .ToList();

        foreach (var offset in offsets)
        {
            CheckFlipped(log, offset);
            CheckTruncated(log, offset);
        }

        CheckTruncated(log, log.Bytes.Length);
    }

    private void CheckFlipped(IntactLog log, int offset)
    {
        var bytes = (byte[])log.Bytes.Clone();
        bytes[offset] ^= 0xFF;
        var frame = log.FrameOf(offset);
        foreach (var writable in new[] { false, true })
        {
            var outcome = Open(bytes, writable);
            if (outcome.Corruption is { } corruption)
            {
                Assert.True(corruption.Offset == (frame < 0 ? 0 : log.FrameStarts[frame]), $"byte {offset} flipped: refused at {corruption.Offset}, not at its frame");
                continue;
            }

            // accepted: only the last frame may be bad, and it is reported, never silently dropped
            Assert.True(frame == log.Edits.Count - 1, $"byte {offset} flipped in frame {frame}: opened without refusing");
            Assert.NotNull(outcome.Torn);
            Assert.Equal(log.FrameStarts[frame], outcome.Torn!.Offset);
            Assert.Equal(log.Edits.Take(frame), outcome.Replayed);
            Assert.Equal(log.Edits.Take(frame), outcome.Reread);
            Assert.Equal(writable ? log.FrameStarts[frame] : bytes.Length, outcome.LengthAfter);
        }
    }

    private void CheckTruncated(IntactLog log, int length)
    {
        var bytes = log.Bytes[..length];
        var whole = log.FrameStarts.Select((start, i) => (start, i)).Count(f => f.i + 1 < log.FrameStarts.Count ? log.FrameStarts[f.i + 1] <= length : log.Bytes.Length <= length);
        var boundary = length == 0 || length == 8 || log.FrameStarts.Contains(length) || length == log.Bytes.Length;
        foreach (var writable in new[] { false, true })
        {
            var outcome = Open(bytes, writable);
            Assert.True(outcome.Corruption is null, $"truncated at {length}: refused ({outcome.Corruption?.Message})");
            Assert.Equal(log.Edits.Take(whole), outcome.Replayed);
            Assert.Equal(log.Edits.Take(whole), outcome.Reread);
            Assert.True(boundary == outcome.Torn is null, $"truncated at {length}: torn tail {(outcome.Torn is null ? "not " : string.Empty)}reported");
        }
    }

    private Outcome Open(byte[] bytes, bool writable)
    {
        var file = _temp.Combine($"edits-{Guid.NewGuid():N}.log");
        File.WriteAllBytes(file, bytes);
        var replayed = new List<EditRecord>();
        try
        {
            using var log = EditLog.Open(file, writable, logged => replayed.Add(logged.Edit));
            var reread = log.LastTxId == 0 ? [] : log.ReadAsync(1, log.LastTxId, Ct).ToBlockingEnumerable(Ct).ToList();
            return new Outcome(null, log.Torn, replayed, reread, new FileInfo(file).Length);
        }
        catch (EditLogCorruptException ex)
        {
            Assert.Equal(bytes.Length, new FileInfo(file).Length); // nothing dropped
            return new Outcome(ex, null, replayed, [], bytes.Length);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>A namespace's log after a mix of mutations: its bytes, where each frame starts, and its edits.</summary>
    private async Task<IntactLog> IntactLogAsync(int edits)
    {
        var root = _temp.Combine($"ns-{edits}");
        using (var ns = new LocalNamespace("dcA", root, new FakeTimeProvider(DateTimeOffset.UnixEpoch)))
        {
            for (var i = 0; ns.LastTxId.Value < edits; i++)
            {
                var path = $"/warehouse/t{i % 7}/part-{i}";
                await ns.CreateAsync(path, (s, ct) => s.WriteAsync(new byte[i % 5], ct).AsTask(), overwrite: false, Ct);
                switch (i % 4)
                {
                    case 1:
                        await ns.RenameAsync(path, path + ".moved", Ct);
                        break;
                    case 2:
                        await ns.SetTimesAsync(path, DateTimeOffset.UnixEpoch.AddDays(i), Ct);
                        break;
                    case 3:
                        await ns.DeleteAsync(path, recursive: false, Ct);
                        break;
                }
            }
        }

        var bytes = await File.ReadAllBytesAsync(Path.Join(root, "edits", "edits.log"), Ct);
        var starts = EditLogFrames.Starts(bytes);

        var all = new List<EditRecord>();
        using (EditLog.Open(Path.Join(root, "edits", "edits.log"), writable: false, logged => all.Add(logged.Edit)))
        {
        }

        return new IntactLog(bytes, starts, all);
    }

    private sealed record IntactLog(byte[] Bytes, IReadOnlyList<int> FrameStarts, IReadOnlyList<EditRecord> Edits)
    {
        /// <summary>The index of the frame holding byte <paramref name="offset"/>; -1 for the file's header.</summary>
        public int FrameOf(int offset) => offset < 8 ? -1 : FrameStarts.Count(s => s <= offset) - 1;
    }

    private sealed record Outcome(EditLogCorruptException? Corruption, TornTail? Torn, IReadOnlyList<EditRecord> Replayed, IReadOnlyList<EditRecord> Reread, long LengthAfter);
}
