using Unitization.Hdfs.EditLog;

namespace Unitization.Hdfs.Tests.EditLog;

public class JavaHashMapOrderTests
{
    [Fact]
    public void JavaHashCode_KnownStrings_MatchesJava()
    {
        Assert.Equal(0, JavaHashMapOrder.JavaHashCode(string.Empty));
        Assert.Equal(2112, JavaHashMapOrder.JavaHashCode("Aa"));
        Assert.Equal(2112, JavaHashMapOrder.JavaHashCode("BB"));
        Assert.Equal(99162322, JavaHashMapOrder.JavaHashCode("hello"));
    }

    [Fact]
    public void Of_KeysInDifferentBuckets_ComeInBucketOrder()
    {
        // capacity 2 for two keys: "a" (97) lands in bucket 1, "p" (112) in bucket 0
        var order = JavaHashMapOrder.Of([("a", "1"), ("p", "2")]);

        Assert.Equal(["p", "a"], order.Select(e => e.Key));
    }

    [Fact]
    public void Of_CollidingAndRepeatedKeys_KeepInsertionOrderAndTheLastValue()
    {
        var order = JavaHashMapOrder.Of([("BB", "1"), ("Aa", "2"), ("BB", "3")]);

        Assert.Equal([("BB", "3"), ("Aa", "2")], order);
    }
}
