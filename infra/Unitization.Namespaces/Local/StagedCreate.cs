using Microsoft.Win32.SafeHandles;
using Unitization.Namespaces.Edits;

namespace Unitization.Namespaces.Local;

/// <summary>
/// A Create: the bytes are written to a new file in <c>tmp/</c> (through a stream, or a handle for positioned writes
/// and kernel copies) and checksummed; then the edit is logged (group commit) and the file renamed into place, so
/// readers never see a partial file. A failure or cancellation before the edit is logged removes the temporary file.
/// </summary>
internal sealed class StagedCreate(string name, PhysicalPaths paths, string tmp)
{
    /// <summary>Fills the file through a stream that hashes as it writes; the data is fsynced before the edit is logged.</summary>
    public static Func<string, CancellationToken, Task<FileChecksum>> FromStream(Func<Stream, CancellationToken, Task> write) =>
        async (staged, ct) =>
        {
            var file = new FileStream(staged, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            await using (file.ConfigureAwait(false))
            {
                using var hashing = new ChecksumWriteStream(file);
                await write(hashing, ct).ConfigureAwait(false);
                await file.FlushAsync(ct).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
                return hashing.Finish();
            }
        };

    /// <summary>Fills the file through its handle; the namespace reads it back for the checksum. Without <paramref name="syncData"/> the data is not fsynced.</summary>
    public static Func<string, CancellationToken, Task<FileChecksum>> FromHandle(Func<SafeFileHandle, StagedFileChecksum, CancellationToken, Task> write, bool syncData) =>
        async (staged, ct) =>
        {
            using var handle = File.OpenHandle(staged, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
            var readBack = new StagedFileChecksum(handle);
            try
            {
                await write(handle, readBack, ct).ConfigureAwait(false);
                var checksum = readBack.Finish(LocalChecksum.Algorithm, ct);
                if (syncData)
                {
                    RandomAccess.FlushToDisk(handle);
                }

                return checksum;
            }
            finally
            {
                readBack.Release();
            }
        };

    public async Task<EditRecord> CommitAsync(
        EditCommitter committer, string path, Func<string, CancellationToken, Task<FileChecksum>> write, bool overwrite, bool deferDirectorySync, CancellationToken cancellationToken)
    {
        var normalized = NamespacePath.Normalize(path);
        if (normalized == NamespacePath.Root)
        {
            throw new NamespacePathException("A file cannot be created at the namespace root", path);
        }

        var stage = Guid.NewGuid().ToString("N") + ".part";
        var staged = Path.Join(tmp, stage);
        var committed = false;
        try
        {
            var checksum = await write(staged, cancellationToken).ConfigureAwait(false);
            var edit = await committer.CommitCreateAsync(
                normalized,
                (tx, now) =>
                {
                    var target = paths.Resolve(normalized, path);
                    if (Directory.Exists(target))
                    {
                        throw new IOException($"{name}:{normalized} is a directory; a file cannot replace it.");
                    }

                    if (!overwrite && File.Exists(target))
                    {
                        throw new IOException($"{name}:{normalized} already exists (pass overwrite to replace it).");
                    }

                    paths.RequireNoFileAncestor(normalized);
                    paths.RequireFits(normalized, path);
                    File.SetLastWriteTimeUtc(staged, now.UtcDateTime);
                    committed = true;
                    return new LoggedEdit(new EditRecord(new TxId(tx), EditOp.Create, normalized, null, checksum.Length, checksum.Hex, now), stage, DeferDirectorySync: deferDirectorySync);
                },
                cancellationToken).ConfigureAwait(false);
            return edit!;
        }
        finally
        {
            if (!committed)
            {
                TryDelete(staged);
            }
        }
    }

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (IOException)
        {
            // a stale temporary file is removed on the next open
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
