using System.Globalization;
using Unitization.Namespaces;
using Unitization.Replication.Metastore;

namespace Unitization.SampleHms;

/// <summary>
/// What a Hive job does, in miniature: writes a partition's files into the primary namespace, then registers the
/// partition in the catalog (one ADD_PARTITION event); INSERT rewrites a file; DROP deletes the directory.
/// </summary>
public sealed class SampleWorkload(SampleCatalog catalog, INamespace primary)
{
    public SampleCatalog Catalog => catalog;

    public Task CreateTableAsync(string db, string table, CancellationToken cancellationToken) =>
        catalog.CreateTableAsync(db, table, TableLocation(db, table), ["dt"], cancellationToken);

    public string TableLocation(string db, string table) => $"hdfs://{primary.Name}{TablePath(db, table)}";

    /// <summary>
    /// <c>/warehouse/{db}/{table}</c>: the tables are created with an explicit LOCATION in this layout (not Hive's
    /// default <c>{db}.db</c>) so that it agrees with the Router's <c>DatasetPaths</c> template and its
    /// <c>/warehouse</c> mount.
    /// </summary>
    public static string TablePath(string db, string table) => $"/warehouse/{db}/{table}";

    public static string PartitionPath(string db, string table, string dt) => $"{TablePath(db, table)}/dt={dt}";

    public async Task<string> AddPartitionAsync(string db, string table, string dt, int files, int bytesPerFile, CancellationToken cancellationToken)
    {
        var path = PartitionPath(db, table, dt);
        for (var i = 0; i < files; i++)
        {
            await WriteFileAsync($"{path}/part-{i:D5}", bytesPerFile, HashCode.Combine(path, i), cancellationToken).ConfigureAwait(false);
        }

        await catalog.AddPartitionAsync(db, table, [dt], cancellationToken).ConfigureAwait(false);
        return path;
    }

    public async Task InsertAsync(string db, string table, string dt, int bytes, int seed, CancellationToken cancellationToken)
    {
        var file = $"{PartitionPath(db, table, dt)}/part-{seed.ToString("D5", CultureInfo.InvariantCulture)}-insert";
        await WriteFileAsync(file, bytes, seed, cancellationToken).ConfigureAwait(false);
        await catalog.InsertAsync(db, table, [dt], [file], cancellationToken).ConfigureAwait(false);
    }

    public async Task DropPartitionAsync(string db, string table, string dt, CancellationToken cancellationToken)
    {
        await catalog.DropPartitionAsync(db, table, [dt], cancellationToken).ConfigureAwait(false);
        await primary.DeleteAsync(PartitionPath(db, table, dt), recursive: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A partition at a custom location (outside the table's directory), as ALTER TABLE ... ADD PARTITION ... LOCATION makes.</summary>
    public async Task AddPartitionAtAsync(string db, string table, string dt, string path, int files, int bytesPerFile, CancellationToken cancellationToken)
    {
        for (var i = 0; i < files; i++)
        {
            await WriteFileAsync($"{path}/part-{i:D5}", bytesPerFile, HashCode.Combine(path, i), cancellationToken).ConfigureAwait(false);
        }

        await catalog.AddPartitionAsync(db, table, [dt], $"hdfs://{primary.Name}{path}", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>DROP PARTITION of a partition at a custom location: the event names the values, the files go.</summary>
    public async Task DropPartitionAtAsync(string db, string table, string dt, string path, CancellationToken cancellationToken)
    {
        await catalog.DropPartitionAsync(db, table, [dt], cancellationToken).ConfigureAwait(false);
        await primary.DeleteAsync(path, recursive: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// An INSERT into an ACID table's partition: the files go into a delta directory, then ALLOC_WRITE_ID_EVENT and
    /// ACID_WRITE_EVENT, then COMMIT_TXN (or ABORT_TXN, after which Hive's cleaner removes the delta: here at once).
    /// Returns the delta directory.
    /// </summary>
    public async Task<string> AcidInsertAsync(string db, string table, string dt, int bytes, bool commit, CancellationToken cancellationToken)
    {
        var txn = catalog.OpenTransaction();
        var delta = $"{PartitionPath(db, table, dt)}/delta_{txn:D7}_{txn:D7}_0000";
        var file = $"{delta}/bucket_00000";
        await WriteFileAsync(file, bytes, (int)txn, cancellationToken).ConfigureAwait(false);
        await catalog.AcidWriteAsync(txn, db, table, [dt], [file], cancellationToken).ConfigureAwait(false);
        if (!commit)
        {
            await primary.DeleteAsync(delta, recursive: true, cancellationToken).ConfigureAwait(false);
        }

        catalog.EndTransaction(txn, commit);
        return delta;
    }

    public async Task DropTableAsync(string db, string table, CancellationToken cancellationToken)
    {
        await catalog.DropTableAsync(db, table, cancellationToken).ConfigureAwait(false);
        await primary.DeleteAsync(TablePath(db, table), recursive: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds one partition per <paramref name="interval"/> until cancelled: the demo's continuous workload.</summary>
    public async Task RunAsync(string db, string table, TimeSpan interval, int files, int bytesPerFile, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        if (catalog.GetTable(db, table) is null)
        {
            await CreateTableAsync(db, table, cancellationToken).ConfigureAwait(false);
        }

        var start = time.GetUtcNow();
        for (var n = 0; !cancellationToken.IsCancellationRequested; n++)
        {
            var dt = start.AddMinutes(n).ToString("yyyyMMdd-HHmm", CultureInfo.InvariantCulture);
            await AddPartitionAsync(db, table, dt, files, bytesPerFile, cancellationToken).ConfigureAwait(false);
            await Task.Delay(interval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The serve demo's workload: an unpartitioned table whose files an INSERT rewrites one per
    /// <paramref name="interval"/> (a rolling set of <paramref name="files"/> files, so its size stays bounded), until
    /// cancelled. Each INSERT replicates the whole table, so the replica's commit record covers the table's path.
    /// </summary>
    public async Task RunInsertsAsync(string db, string table, TimeSpan interval, int files, int bytesPerFile, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(files, 1);
        if (catalog.GetTable(db, table) is null)
        {
            // the files first, then the table: CREATE_TABLE already replicates its first rows
            await WriteFileAsync($"{TablePath(db, table)}/part-{0:D5}", bytesPerFile, 0, cancellationToken).ConfigureAwait(false);
            await catalog.CreateTableAsync(db, table, TableLocation(db, table), [], cancellationToken).ConfigureAwait(false);
        }

        for (var n = 1; !cancellationToken.IsCancellationRequested; n++)
        {
            await Task.Delay(interval, time, cancellationToken).ConfigureAwait(false);
            var file = $"{TablePath(db, table)}/part-{(n % files).ToString("D5", CultureInfo.InvariantCulture)}";
            await WriteFileAsync(file, bytesPerFile, n, cancellationToken).ConfigureAwait(false);
            await catalog.InsertAsync(db, table, [], [file], cancellationToken).ConfigureAwait(false);
        }
    }

    private Task WriteFileAsync(string path, int bytes, int seed, CancellationToken cancellationToken) =>
        primary.CreateAsync(
            path,
            async (stream, ct) =>
            {
                var data = new byte[bytes];
                new Random(seed).NextBytes(data);
                await stream.WriteAsync(data, ct).ConfigureAwait(false);
            },
            overwrite: true,
            cancellationToken);
}
