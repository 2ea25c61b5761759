using System.Runtime.CompilerServices;

namespace Unitization.DataManager.Communities;

/// <summary>
/// The queue of local moving over the nodes <c>first..end-1</c>: a ring buffer holding each node at most once (a flag
/// per node says whether it is queued), starting with every node, in blocks of <c>block</c> consecutive nodes whose
/// order is shuffled by the seed (inside a block the nodes keep their order), or with only the nodes flagged in
/// <c>only</c>, in that same order. Arrays are pooled: call <see cref="ReturnToPool"/> when done.
/// </summary>
internal sealed class NodeQueue
{
    private readonly int[] _items;
    private readonly bool[] _queued;
    private readonly int _first;
    private readonly int _capacity;
    private int _head;
    private int _count;

    public NodeQueue(int first, int end, int block, SplitMix64 random, bool[]? only = null)
    {
        _first = first;
        _capacity = end - first;
        var blockCount = (_capacity + block - 1) / block;
        var blockArray = PooledArray.RentUncleared<int>(blockCount);
        var blocks = blockArray.AsSpan(0, blockCount);
        for (var b = 0; b < blocks.Length; b++)
        {
            blocks[b] = b;
        }

        random.Shuffle(blocks);
        _items = PooledArray.RentUncleared<int>(_capacity);
        _queued = PooledArray.RentUncleared<bool>(_capacity);
        var k = 0;
        foreach (var b in blocks)
        {
            for (var v = first + (b * block); v < Math.Min(end, first + ((b + 1) * block)); v++)
            {
                var queued = only is null || only[v - first];
                _items[k] = v;
                k += queued ? 1 : 0;
                _queued[v - first] = queued;
            }
        }

        PooledArray.Return(blockArray);
        _count = k;
    }

    public int Count => _count;

    /// <summary>The node <paramref name="ahead"/> places behind the next one to be taken (0: the next), or -1 past the end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Peek(int ahead)
    {
        if (ahead >= _count)
        {
            return -1;
        }

        var i = _head + ahead;
        return _items[i >= _capacity ? i - _capacity : i];
    }

    public void ReturnToPool()
    {
        PooledArray.Return(_items);
        PooledArray.Return(_queued);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryTake(out int v)
    {
        if (_count == 0)
        {
            v = -1;
            return false;
        }

        v = _items[_head];
        _head = _head + 1 == _capacity ? 0 : _head + 1;
        _count--;
        _queued[v - _first] = false;
        return true;
    }

    /// <summary>Queues <paramref name="v"/> (one of this queue's nodes) at the back unless it is queued already.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(int v)
    {
        if (_queued[v - _first])
        {
            return;
        }

        _queued[v - _first] = true;
        var tail = _head + _count;
        _items[tail >= _capacity ? tail - _capacity : tail] = v;
        _count++;
    }
}
