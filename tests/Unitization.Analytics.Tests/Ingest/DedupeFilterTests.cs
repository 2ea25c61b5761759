using Unitization.Analytics.Ingest;

namespace Unitization.Analytics.Tests.Ingest;

public sealed class DedupeFilterTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 30, 0, TimeSpan.Zero);

    [Fact]
    public void TryAdd_SameIdAndTimeTwice_SecondIsDuplicate()
    {
        var filter = new DedupeFilter(TimeSpan.FromHours(2));
        Assert.True(filter.TryAdd(RecordIdHash.Of("a"), Now));
        Assert.False(filter.TryAdd(RecordIdHash.Of("a"), Now));
        Assert.True(filter.TryAdd(RecordIdHash.Of("b"), Now));
        Assert.Equal(2, filter.Count);
    }

    [Fact]
    public void Evict_HoursBeforeWindow_ForgottenAndRecentKept()
    {
        var filter = new DedupeFilter(TimeSpan.FromHours(2));
        filter.TryAdd(1, Now.AddHours(-5));
        filter.TryAdd(2, Now.AddMinutes(-30));
        filter.Evict(Now);
        Assert.False(filter.Contains(1, Now.AddHours(-5)));
        Assert.True(filter.Contains(2, Now.AddMinutes(-30)));
        Assert.Equal(1, filter.Count);
        Assert.True(filter.IsOutsideWindow(Now.AddHours(-3), Now));
        Assert.False(filter.IsOutsideWindow(Now.AddHours(-1), Now));
    }

    [Fact]
    public void RecordIdHash_DistinctIds_DistinctHashes()
    {
        var hashes = Enumerable.Range(0, 100_000).Select(i => RecordIdHash.Of("record-" + i)).ToHashSet();
        Assert.Equal(100_000, hashes.Count);
        Assert.Equal(RecordIdHash.Of("x"), RecordIdHash.Of("x"));
    }

    [Fact]
    public void UInt64Set_AgainstHashSet_SameAnswersThroughGrowth()
    {
        var set = new UInt64Set(4);
        var reference = new HashSet<ulong>();
        var random = new Random(11);
        for (var i = 0; i < 200_000; i++)
        {
            // small values collide in the low bits and the zero id is special: both kept in the mix
            var id = (i % 5) switch { 0 => (ulong)random.Next(0, 64), 1 => 0UL, _ => (ulong)random.NextInt64() };
            Assert.Equal(reference.Add(id), set.Add(id));
        }

        Assert.Equal(reference.Count, set.Count);
        Assert.All(reference, id => Assert.True(set.Contains(id)));
        Assert.False(set.Contains(ulong.MaxValue));
    }

    [Fact]
    public void UInt64Set_AfterADisposedSetOfTheSameSize_StartsEmpty()
    {
        // the slots are pooled arrays: one handed back full must not leak its ids into the next set
        var ids = Enumerable.Range(1, 50_000).Select(i => (ulong)i * 0x9E3779B97F4A7C15UL).ToArray();
        var first = new UInt64Set(16);
        Assert.All(ids, id => Assert.True(first.Add(id)));
        first.Dispose();

        for (var round = 0; round < 3; round++)
        {
            using var next = new UInt64Set(16);
            Assert.All(ids, id => Assert.False(next.Contains(id)));
            Assert.All(ids, id => Assert.True(next.Add(id)));
            Assert.Equal(ids.Length, next.Count);
        }
    }

    [Fact]
    public void Clear_AfterAdds_ForgetsEveryHourIncludingTheLastLookedUp()
    {
        var filter = new DedupeFilter(TimeSpan.FromHours(2));
        filter.TryAdd(5, Now);
        filter.Clear();
        Assert.True(filter.TryAdd(5, Now));
        Assert.Equal(1, filter.Count);
    }
}
