using Unitization.Analytics.Traffic;

namespace Unitization.Analytics.Ingest;

/// <summary>Where stored traffic lives (ClickHouse in production: <see cref="Storage.TrafficTable"/>).</summary>
internal interface ITrafficTable
{
    /// <summary>Writes records as one insert; throws <see cref="Storage.ClickHouseException"/> when the store cannot take them.</summary>
    Task InsertAsync(IReadOnlyList<TrafficRecord> records, CancellationToken cancellationToken);

    /// <summary>
    /// The same, with the records already encoded as RowBinary (<see cref="Storage.TrafficRowBinary"/>, exactly these
    /// records in this order): a store that takes RowBinary sends the bytes as they are.
    /// </summary>
    Task InsertAsync(IReadOnlyList<TrafficRecord> records, ReadOnlyMemory<byte> rowBinary, CancellationToken cancellationToken) =>
        InsertAsync(records, cancellationToken);

    /// <summary>Which of these records' id hashes are stored already.</summary>
    Task<HashSet<ulong>> StoredIdHashesAsync(IReadOnlyList<TrafficRecord> records, CancellationToken cancellationToken);

    /// <summary>Every stored id hash with its record time, for records since <paramref name="since"/>.</summary>
    Task<IReadOnlyList<(ulong IdHash, DateTimeOffset Time)>> IdHashesSinceAsync(DateTimeOffset since, CancellationToken cancellationToken);
}
