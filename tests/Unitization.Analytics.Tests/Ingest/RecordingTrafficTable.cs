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

    /// <summary>The rows of the last insert, as they came (RowBinary).</summary>
    public byte[] LastInsert { get; private set; } = [];

    public Task InsertAsync(ReadOnlyMemory<byte> rowBinary, int count, CancellationToken cancellationToken)
    {
        Fail();
        var records = TrafficRowBinary.ReadAll(rowBinary.Span);
        Assert.Equal(count, records.Count);
        Inserts++;
        LastInsert = rowBinary.ToArray();
        Rows.AddRange(records);
        if (LoseNextAnswer)
        {
            LoseNextAnswer = false;
            throw new ClickHouseException("connection reset after the insert");
        }

        return Task.CompletedTask;
    }

    public Task<HashSet<ulong>> StoredIdHashesAsync(IReadOnlyCollection<ulong> idHashes, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        Fail();
        var wanted = idHashes.ToHashSet();
        return Task.FromResult(Rows.Where(r => r.Time >= from.AddSeconds(-1) && r.Time <= to.AddSeconds(1)).Select(r => RecordIdHash.Of(r.Id)).Where(wanted.Contains).ToHashSet());
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
