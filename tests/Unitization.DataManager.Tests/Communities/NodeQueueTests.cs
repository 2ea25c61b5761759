using Unitization.DataManager.Communities;

namespace Unitization.DataManager.Tests.Communities;

public class NodeQueueTests
{
    [Fact]
    public void Constructor_OnlyFlaggedNodes_QueuesThemInTheFullOrderAndTakesOthersLater()
    {
        var full = new NodeQueue(0, 1000, block: 16, SplitMix64.For(7, 0, 0));
        var order = new List<int>();
        while (full.TryTake(out var v))
        {
            order.Add(v);
        }

        full.ReturnToPool();
        var only = Enumerable.Range(0, 1000).Select(v => v % 3 == 0).ToArray();
        var queue = new NodeQueue(0, 1000, block: 16, SplitMix64.For(7, 0, 0), only);

        Assert.Equal(334, queue.Count);
        queue.Add(0); // queued already: no second entry
        queue.Add(1); // not flagged: joins at the back
        var taken = new List<int>();
        while (queue.TryTake(out var v))
        {
            taken.Add(v);
        }

        queue.ReturnToPool();
        Assert.Equal([.. order.Where(v => v % 3 == 0), 1], taken);
    }
}
