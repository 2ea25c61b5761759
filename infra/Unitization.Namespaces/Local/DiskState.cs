using Unitization.Namespaces.Edits;

namespace Unitization.Namespaces.Local;

/// <summary>
/// What the disk holds at the paths of edits that could not be applied, as the edits that would say so: a Mkdirs for a
/// directory, a Create with the file's size and checksum for a file, a Delete where nothing is. Logged by
/// <c>fs recover</c> after the unapplied edits, they make the log describe the disk again; applying them changes nothing.
/// </summary>
internal static class DiskState
{
    public static async Task<IReadOnlyList<(EditOp Op, string Path, FileChecksum? Checksum)>> DescribeAsync(
        PhysicalPaths paths, IReadOnlyList<UnappliedEdit> unapplied, CancellationToken cancellationToken)
    {
        var plan = new List<(EditOp Op, string Path, FileChecksum? Checksum)>();
        foreach (var path in unapplied.SelectMany(u => u.Destination is null ? [u.Path] : new[] { u.Path, u.Destination }).Distinct(StringComparer.Ordinal))
        {
            var physical = paths.Unchecked(path);
            if (Directory.Exists(physical))
            {
                plan.Add((EditOp.Mkdirs, path, null));
            }
            else if (File.Exists(physical))
            {
                var stream = File.OpenRead(physical);
                await using (stream.ConfigureAwait(false))
                {
                    plan.Add((EditOp.Create, path, await LocalChecksum.ComputeAsync(stream, cancellationToken).ConfigureAwait(false)));
                }
            }
            else
            {
                plan.Add((EditOp.Delete, path, null));
            }
        }

        return plan;
    }
}
