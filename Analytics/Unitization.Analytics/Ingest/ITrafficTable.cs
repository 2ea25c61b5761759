namespace Unitization.Analytics.Ingest;

/// <summary>Where stored traffic lives (ClickHouse in production: <see cref="Storage.TrafficTable"/>).</summary>
internal interface ITrafficTable
{
    /// <summary>
    /// Writes <paramref name="count"/> rows encoded as RowBinary (<see cref="Storage.TrafficRowBinary"/>) as one insert;
    /// throws <see cref="Storage.ClickHouseException"/> when the store cannot take them.
    /// </summary>
    Task InsertAsync(ReadOnlyMemory<byte> rowBinary, int count, CancellationToken cancellationToken);

    /// <summary>Which of these id hashes are stored already, for records timed <paramref name="from"/> to <paramref name="to"/> (to the second).</summary>
    Task<HashSet<ulong>> StoredIdHashesAsync(IReadOnlyCollection<ulong> idHashes, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>Every stored id hash with its record time, for records since <paramref name="since"/>.</summary>
    Task<IReadOnlyList<(ulong IdHash, DateTimeOffset Time)>> IdHashesSinceAsync(DateTimeOffset since, CancellationToken cancellationToken);
}
