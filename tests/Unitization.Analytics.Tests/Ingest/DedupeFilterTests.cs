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

    [Fact]
    public void UInt64Set_OnReturnedSlots_StartsEmptyAndAgreesWithHashSet()
    {
        // the arrays are reused full: ids left in them by the last set must not leak into the next
        var arrays = new SlotArrays();
        var ids = Enumerable.Range(1, 50_000).Select(i => (ulong)i * 0x9E3779B97F4A7C15UL).ToArray();
        var first = new UInt64Set(16, arrays);
        Assert.All(ids, id => Assert.True(first.Add(id)));
        first.Dispose();
        Assert.InRange(arrays.FreeCount, 1, SlotArrays.MaxFree);

        for (var round = 0; round < 3; round++)
        {
            using var next = new UInt64Set(16, arrays);
            Assert.All(ids, id => Assert.False(next.Contains(id)));
            var reference = new HashSet<ulong>();
            var random = new Random(round);
            for (var i = 0; i < 60_000; i++)
            {
                var id = i % 7 == 0 ? ids[random.Next(ids.Length)] : (ulong)random.NextInt64();
                Assert.Equal(reference.Add(id), next.Add(id));
            }

            Assert.Equal(reference.Count, next.Count);
        }
    }

    [Fact]
    public void SlotArrays_Rent_ShortestLongEnoughElseNew()
    {
        var arrays = new SlotArrays();
        var (small, large) = (new ulong[1024], new ulong[8192]);
        small[3] = large[5] = 42;
        arrays.Return(large);
        arrays.Return(small);

        var got = arrays.Rent(600);
        Assert.Same(small, got);
        Assert.Equal(0UL, got[3]);
        Assert.Same(large, arrays.Rent(2000));
        Assert.Equal(0UL, large[5]);
        var fresh = arrays.Rent(3000);
        Assert.Equal(4096, fresh.Length);
        Assert.Equal(0, arrays.FreeCount);
    }

    [Fact]
    public void SlotArrays_RentAbout_TakesTheLongestWhenNoneIsLongEnough()
    {
        var arrays = new SlotArrays();
        var (small, large) = (new ulong[1024], new ulong[4096]);
        arrays.Return(small);
        arrays.Return(large);
        Assert.Same(large, arrays.RentAbout(100_000));
        Assert.Same(small, arrays.RentAbout(100_000));
        Assert.Equal(131_072, arrays.RentAbout(100_000).Length);
    }

    [Fact]
    public void SlotArrays_Return_KeepsTheLongestMaxFree()
    {
        var arrays = new SlotArrays();
        for (var i = 4; i < 4 + SlotArrays.MaxFree + 3; i++)
        {
            arrays.Return(new ulong[1 << i]);
        }

        arrays.Return(new ulong[1000]); // not a power of two: not a slot array, not kept
        Assert.Equal(SlotArrays.MaxFree, arrays.FreeCount);
        Assert.Equal(1L << (4 + 3), arrays.Rent(1).Length);
    }

    [Fact]
    public void Clear_ThenNewHours_ReuseTheSlotsAndHoldNoOldIds()
    {
        using var filter = new DedupeFilter(TimeSpan.FromHours(48));
        for (var i = 1UL; i <= 100_000; i++)
        {
            filter.TryAdd(i * 0x9E3779B97F4A7C15UL, Now);
        }

        filter.Clear();
        var (spare, bytes) = filter.SpareSlots;
        Assert.InRange(spare, 1, SlotArrays.MaxFree);

        // the next hour, sized like the one let go, takes the longest array: no growth, nothing fresh
        for (var i = 1UL; i <= 100_000; i++)
        {
            Assert.True(filter.TryAdd(i * 0x9E3779B97F4A7C15UL, Now.AddHours(1)));
        }

        Assert.Equal(spare - 1, filter.SpareSlots.Arrays);
        Assert.True(filter.SpareSlots.Bytes < bytes);
        Assert.Equal(100_000, filter.Count);
    }

    [Fact]
    public void Evict_AnHourLeavingTheWindow_HandsItsSlotsToTheNext()
    {
        using var filter = new DedupeFilter(TimeSpan.FromHours(2));
        for (var i = 1UL; i <= 70_000; i++)
        {
            filter.TryAdd(i, Now.AddHours(-3));
        }

        var before = filter.SpareSlots.Arrays;
        filter.Evict(Now);
        Assert.Equal(before + 1, filter.SpareSlots.Arrays);
        Assert.False(filter.Contains(5, Now.AddHours(-3)));
        Assert.True(filter.TryAdd(5, Now));
        Assert.Equal(before, filter.SpareSlots.Arrays);
    }
}
