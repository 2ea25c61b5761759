using System.Globalization;
using Unitization.Namespaces.Edits;
using Unitization.Namespaces.Local;

namespace Unitization.Host.Cli;

/// <summary>
/// <c>unitization fs recover --namespace ID</c>, in the spirit of <c>hdfs namenode -recover</c>: run with the service
/// stopped, it finds what keeps the namespace from opening cleanly and offers the choices, printing what each would do
/// before doing it. A corrupt edit log: truncate at the corruption (naming the edits and paths lost) or skip the bad
/// frame (placeholders keep every later edit under its txid). Edits logged and not applicable: log what the disk holds
/// for their paths, keeping every edit. The log is copied aside before it is changed.
/// </summary>
internal sealed class FsRecover(TextWriter output, TextReader input, bool interactive, FsRecoverChoices choices, TimeProvider time)
{
    /// <summary>How many corruptions one run resolves before it stops (each one is a separate choice).</summary>
    private const int MaxRounds = 32;

    /// <summary>How many lost edits the truncate choice lists by path.</summary>
    private const int ListedEdits = 20;

    public async Task<int> RunAsync(Func<FsSession> open, CancellationToken cancellationToken)
    {
        for (var round = 0; round < MaxRounds; round++)
        {
            FsSession session;
            try
            {
                session = open();
            }
            catch (EditLogCorruptException corruption)
            {
                if (!ResolveCorruption(EditLogRepair.Inspect(corruption)))
                {
                    return 1;
                }

                continue;
            }

            using (session)
            {
                if (session.Namespace is not LocalNamespace local)
                {
                    await output.WriteLineAsync($"Namespace {session.Namespace.Name} is not local: fs recover repairs a local namespace's edit log; an HDFS namespace is recovered with Hadoop's own tools.").ConfigureAwait(false);
                    return 2;
                }

                return await ResolveUnappliedAsync(local, cancellationToken).ConfigureAwait(false);
            }
        }

        await output.WriteLineAsync($"Stopped after resolving {MaxRounds} corruptions; run fs recover again to go on.").ConfigureAwait(false);
        return 1;
    }

    private bool ResolveCorruption(CorruptionReport report)
    {
        var corruption = report.Corruption;
        var offset = corruption.Offset;
        output.WriteLine($"The edit log '{corruption.LogPath}' is corrupt at byte {offset}: {corruption.Reason}.");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Edits 1..{corruption.ExpectedTxId - 1} before it are intact."));
        output.WriteLine();
        output.WriteLine($"  truncate (--truncate-at-corruption): cut the log at byte {offset}. Lost: the bad frame and the {report.EditsAfter.Count} edit(s) after it" +
            (report.UnreadableBytesAfter > 0 ? $", then {report.UnreadableBytesAfter} byte(s) that do not decode" : string.Empty) +
            (report.EditsAfter.Count > 0 ? "; their paths (files they made stay on disk, no longer in the log):" : "."));
        foreach (var edit in report.EditsAfter.Take(ListedEdits))
        {
            output.WriteLine($"      {FsCommand.FormatEdit(edit)}");
        }

        if (report.EditsAfter.Count > ListedEdits)
        {
            output.WriteLine($"      ... and {report.EditsAfter.Count - ListedEdits} more");
        }

        var placeholders = report.PlaceholdersToSkip;
        output.WriteLine(placeholders is { } count
            ? $"  skip (--skip-frame): replace bytes {offset}..{corruption.NextFrameOffset - 1} with {count} placeholder edit(s) (txid {corruption.ExpectedTxId}" +
              $"{(count > 1 ? $"..{corruption.ExpectedTxId + count - 1}" : string.Empty)}, a SetTimes of / marked as skipped); keeps the {report.EditsAfter.Count} edit(s) after it. " +
              "Lost: whatever the bad frame held."
            : "  skip (--skip-frame): not possible here (no valid frame follows, or its txid does not follow on); truncate instead.");
        output.WriteLine();

        var choice = choices.Corruption ?? Ask("Choose [t]runcate, [s]kip or [q]uit: ", new Dictionary<string, CorruptionChoice> { ["t"] = CorruptionChoice.Truncate, ["s"] = CorruptionChoice.Skip });
        if (choice is null)
        {
            output.WriteLine(interactive ? "Nothing changed." : "Nothing changed: choose with --truncate-at-corruption or --skip-frame (and --yes).");
            return false;
        }

        if (choice == CorruptionChoice.Skip && placeholders is null)
        {
            output.WriteLine("The bad frame cannot be skipped here; nothing changed. Truncate instead.");
            return false;
        }

        var plan = choice == CorruptionChoice.Truncate
            ? $"Will truncate '{corruption.LogPath}' at byte {offset}, losing {report.EditsAfter.Count} edit(s) after the bad frame."
            : $"Will replace bytes {offset}..{corruption.NextFrameOffset - 1} of '{corruption.LogPath}' with {placeholders} placeholder edit(s), keeping {report.EditsAfter.Count} edit(s) after them.";
        if (!Confirm(plan))
        {
            return false;
        }

        var backup = EditLogRepair.Backup(corruption.LogPath, time.GetUtcNow());
        output.WriteLine($"Copied the log to '{backup}'.");
        if (choice == CorruptionChoice.Truncate)
        {
            EditLogRepair.Truncate(report);
            output.WriteLine($"Truncated at byte {offset}.");
        }
        else
        {
            foreach (var edit in EditLogRepair.Skip(report, time.GetUtcNow()))
            {
                output.WriteLine($"Wrote placeholder {FsCommand.FormatEdit(edit)}");
            }
        }

        return true;
    }

    private async Task<int> ResolveUnappliedAsync(LocalNamespace ns, CancellationToken cancellationToken)
    {
        var unapplied = ns.UnappliedEdits;
        if (unapplied.Count == 0)
        {
            output.WriteLine($"{ns.Name}: the edit log is intact (last txid {ns.LastTxId}) and every edit is applied; nothing to recover.");
            return 0;
        }

        output.WriteLine($"{ns.Name}: {unapplied.Count} edit(s) are logged but cannot be applied:");
        foreach (var edit in unapplied)
        {
            output.WriteLine($"  {edit}");
        }

        output.WriteLine();
        output.WriteLine("  accept the disk (--accept-disk-state): log, after them, one edit per path they touched saying what the disk holds there " +
                         "(a Mkdirs, a Create with the file's checksum, or a Delete); every edit is kept and the namespace takes writes again.");
        output.WriteLine();
        var choice = choices.AcceptDiskState ? true : Ask("Choose [a]ccept the disk or [q]uit: ", new Dictionary<string, bool> { ["a"] = true });
        if (choice is not true)
        {
            output.WriteLine(interactive ? "Nothing changed." : "Nothing changed: choose with --accept-disk-state (and --yes).");
            return 1;
        }

        if (!Confirm($"Will log what the disk holds at {string.Join(", ", unapplied.SelectMany(u => u.Destination is null ? [u.Path] : new[] { u.Path, u.Destination }).Distinct())}."))
        {
            return 1;
        }

        foreach (var edit in await ns.RecordDiskStateOfUnappliedAsync(cancellationToken).ConfigureAwait(false))
        {
            output.WriteLine($"Logged {FsCommand.FormatEdit(edit)}");
        }

        output.WriteLine($"{ns.Name} takes writes again.");
        return 0;
    }

    private T? Ask<T>(string prompt, Dictionary<string, T> answers)
        where T : struct
    {
        if (!interactive)
        {
            return null;
        }

        output.Write(prompt);
        var answer = input.ReadLine()?.Trim().ToLowerInvariant();
        return answer is not null && answers.TryGetValue(answer[..Math.Min(1, answer.Length)], out var value) ? value : null;
    }

    private bool Confirm(string plan)
    {
        output.WriteLine(plan);
        if (choices.Yes)
        {
            return true;
        }

        if (!interactive)
        {
            output.WriteLine("Nothing changed: add --yes to do it without a prompt.");
            return false;
        }

        output.Write("Proceed? [y/N] ");
        var proceed = input.ReadLine()?.Trim().StartsWith('y') == true;
        if (!proceed)
        {
            output.WriteLine("Nothing changed.");
        }

        return proceed;
    }
}
