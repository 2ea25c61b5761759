using Unitization.Analytics.Ingest;
using Unitization.Analytics.Storage;
using Unitization.Analytics.Traffic;

namespace Unitization.Analytics.Tests.Ingest;

/// <summary>An in-memory traffic table that can be switched off, as ClickHouse going down.</summary>
internal sealed class RecordingTrafficTable : ITrafficTable
{
    public List<TrafficRecord> Rows { get; } = [];

    public bool Down { get; set; }

    /// <summary>Store the rows but then fail, as an insert whose answer is lost.</summary>
    public bool LoseNextAnswer { get; set; }

    public int Inserts { get; private set; }

    public Task InsertAsync(IReadOnlyList<TrafficRecord> records, CancellationToken cancellationToken)
    {
        Fail();
        Inserts++;
        Rows.AddRange(records);
        if (LoseNextAnswer)
        {
            LoseNextAnswer = false;
            throw new ClickHouseException("connection reset after the insert");
        }

        return Task.CompletedTask;
    }

    /// <summary>Inserts that came with the parser's RowBinary, and the byte count of the last one.</summary>
    public int EncodedInserts { get; private set; }

    public int LastEncodedBytes { get; private set; }

    public Task InsertAsync(IReadOnlyList<TrafficRecord> records, ReadOnlyMemory<byte> rowBinary, CancellationToken cancellationToken)
    {
        EncodedInserts++;
        LastEncodedBytes = rowBinary.Length;
        return InsertAsync(records, cancellationToken);
    }

    public Task<HashSet<ulong>> StoredIdHashesAsync(IReadOnlyList<TrafficRecord> records, CancellationToken cancellationToken)
    {
        Fail();
        var wanted = records.Select(r => RecordIdHash.Of(r.Id)).ToHashSet();
        return Task.FromResult(Rows.Select(r => RecordIdHash.Of(r.Id)).Where(wanted.Contains).ToHashSet());
    }

    public Task<IReadOnlyList<(ulong IdHash, DateTimeOffset Time)>> IdHashesSinceAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        Fail();
        return Task.FromResult<IReadOnlyList<(ulong, DateTimeOffset)>>([.. Rows.Where(r => r.Time >= since).Select(r => (RecordIdHash.Of(r.Id), r.Time))]);
    }

    private void Fail()
    {
        if (Down)
        {
            throw new ClickHouseException("ClickHouse is down (test)");
        }
    }
}
