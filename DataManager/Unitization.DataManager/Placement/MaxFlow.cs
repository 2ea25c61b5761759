namespace Unitization.DataManager.Placement;

/// <summary>
/// A maximum flow (Dinic's algorithm: breadth-first levels, then blocking flows along them) on a graph built edge by
/// edge, reusable: <see cref="Clear"/> drops the graph and keeps the arrays. Node 0 is the source, node 1 the sink.
/// After <see cref="Run"/>, <see cref="OnSourceSide"/> names the minimum cut's source side (what the residual graph
/// still reaches from the source).
/// </summary>
internal sealed class MaxFlow
{
    public const int Source = 0;
    public const int Sink = 1;

    private int[] _head = new int[64];
    private int[] _next = new int[256];
    private int[] _to = new int[256];
    private double[] _capacity = new double[256];
    private double[] _initial = new double[256];
    private int[] _level = new int[64];
    private int[] _arc = new int[64];
    private int[] _queue = new int[64];
    private int[] _index = [];
    private int[] _lowest = [];
    private int[] _stack = [];
    private int[] _calls = [];
    private int _nodes;
    private int _edges;
    private double _epsilon;

    public MaxFlow() => Clear(1e-9);

    public int NodeCount => _nodes;

    /// <summary>Drops every node but the source and sink and every edge; residual capacities at or under <paramref name="epsilon"/> count as none.</summary>
    public void Clear(double epsilon)
    {
        _epsilon = epsilon;
        _nodes = 2;
        _edges = 0;
        _head[Source] = -1;
        _head[Sink] = -1;
    }

    public int AddNode()
    {
        if (_nodes == _head.Length)
        {
            Array.Resize(ref _head, _nodes * 2);
            Array.Resize(ref _level, _nodes * 2);
            Array.Resize(ref _arc, _nodes * 2);
            Array.Resize(ref _queue, _nodes * 2);
        }

        _head[_nodes] = -1;
        return _nodes++;
    }

    /// <summary>Adds an edge from u to v of the capacity (and its residual twin); returns its index for <see cref="Raise"/>.</summary>
    public int AddEdge(int u, int v, double capacity)
    {
        if (_edges + 2 > _to.Length)
        {
            var size = _to.Length * 2;
            Array.Resize(ref _next, size);
            Array.Resize(ref _to, size);
            Array.Resize(ref _capacity, size);
            Array.Resize(ref _initial, size);
        }

        var e = _edges;
        Link(e, u, v, capacity);
        Link(e + 1, v, u, 0);
        _edges += 2;
        return e;
    }

    /// <summary>Restores every capacity, sends the maximum flow from source to sink and returns its value (the minimum cut's).</summary>
    public double Run()
    {
        Array.Copy(_initial, _capacity, _edges);
        return Augment();
    }

    /// <summary>
    /// Raises an edge's residual capacity by <paramref name="delta"/> (at least 0) without touching the flow already
    /// sent: a flow stays a flow when capacities only grow, so <see cref="Augment"/> goes on from it.
    /// </summary>
    public void Raise(int edge, double delta) => _capacity[edge] += delta;

    /// <summary>Copies the residual capacities (the flow sent so far) into <paramref name="into"/>, grown as needed.</summary>
    public void Save(ref double[] into)
    {
        if (into.Length < _edges)
        {
            into = new double[_to.Length];
        }

        Array.Copy(_capacity, into, _edges);
    }

    /// <summary>Puts back residual capacities <see cref="Save"/> copied (the graph unchanged since).</summary>
    public void Restore(double[] from) => Array.Copy(from, _capacity, _edges);

    /// <summary>Sends what more flow the residual graph admits; returns how much.</summary>
    public double Augment()
    {
        double flow = 0;
        while (Levels())
        {
            Array.Copy(_head, _arc, _nodes);
            double pushed;
            while ((pushed = Push(Source, double.PositiveInfinity)) > _epsilon)
            {
                flow += pushed;
            }
        }

        return flow;
    }

    /// <summary>Whether node v is on the source side of the minimum cut the last <see cref="Run"/> found.</summary>
    public bool OnSourceSide(int v) => _level[v] >= 0;

    /// <summary>
    /// The capacity, as built (before any <see cref="Raise"/>), of the edges from the source side of the last minimum
    /// cut to the rest: the cut's value less what raised edges add to it.
    /// </summary>
    public double BuiltCapacityAcross()
    {
        double across = 0;
        for (var e = 0; e < _edges; e += 2)
        {
            across += _level[_to[e + 1]] >= 0 && _level[_to[e]] < 0 ? _initial[e] : 0;
        }

        return across;
    }

    /// <summary>
    /// Every minimum cut of the last flow, after Picard and Queyranne: its source side is the least one
    /// (<see cref="OnSourceSide"/>) plus a set of the nodes in between (those that neither the source reaches nor reach
    /// the sink in the residual graph) closed under residual edges. Writes each node's strongly connected component of
    /// the residual graph among those nodes into <paramref name="component"/> (-1 for the others), numbered so that a
    /// component comes after every one it reaches: the first k components added to the least source side give a
    /// minimum cut, for each k. Returns the number of components.
    /// </summary>
    public int Between(ref int[] component)
    {
        if (component.Length < _nodes)
        {
            component = new int[_head.Length];
        }

        if (_index.Length < _nodes)
        {
            (_index, _lowest, _stack, _calls) = (new int[_head.Length], new int[_head.Length], new int[_head.Length], new int[_head.Length]);
        }

        // the nodes that reach the sink: breadth first backwards over residual edges (u -> v is the twin of v's edge to u)
        const int ReachesSink = -2;
        Array.Fill(component, -1, 0, _nodes);
        var (read, write) = (0, 0);
        _queue[write++] = Sink;
        component[Sink] = ReachesSink;
        while (read < write)
        {
            var v = _queue[read++];
            for (var e = _head[v]; e >= 0; e = _next[e])
            {
                var u = _to[e];
                if (component[u] == -1 && _level[u] < 0 && _capacity[e ^ 1] > _epsilon)
                {
                    component[u] = ReachesSink;
                    _queue[write++] = u;
                }
            }
        }

        // Tarjan's components among the nodes in between, without recursion; a component is numbered when its root
        // closes, after every component it reaches
        Array.Fill(_index, -1, 0, _nodes);
        var (count, visited, stacked) = (0, 0, 0);
        for (var root = 0; root < _nodes; root++)
        {
            if (_level[root] >= 0 || component[root] != -1 || _index[root] >= 0)
            {
                continue;
            }

            var calls = 0;
            Enter(root);
            while (calls > 0)
            {
                var u = _calls[calls - 1];
                var e = _arc[u];
                if (e >= 0)
                {
                    _arc[u] = _next[e];
                    var v = _to[e];
                    if (_capacity[e] <= _epsilon || _level[v] >= 0 || component[v] != -1)
                    {
                        continue;
                    }

                    if (_index[v] < 0)
                    {
                        Enter(v);
                    }
                    else
                    {
                        // visited, in no component yet: still on the stack
                        _lowest[u] = Math.Min(_lowest[u], _index[v]);
                    }

                    continue;
                }

                calls--;
                if (calls > 0)
                {
                    var parent = _calls[calls - 1];
                    _lowest[parent] = Math.Min(_lowest[parent], _lowest[u]);
                }

                if (_lowest[u] == _index[u])
                {
                    int w;
                    do
                    {
                        w = _stack[--stacked];
                        component[w] = count;
                    }
                    while (w != u);
                    count++;
                }
            }

            void Enter(int v)
            {
                _index[v] = _lowest[v] = visited++;
                _stack[stacked++] = v;
                _arc[v] = _head[v];
                _calls[calls++] = v;
            }
        }

        for (var v = 0; v < _nodes; v++)
        {
            component[v] = component[v] == ReachesSink ? -1 : component[v];
        }

        return count;
    }

    private void Link(int e, int u, int v, double capacity)
    {
        _to[e] = v;
        _initial[e] = capacity;
        _next[e] = _head[u];
        _head[u] = e;
    }

    // breadth-first levels over residual edges from the source; whether the sink is reached. Once the sink has its
    // level, nodes at that level or beyond lead to no shortest path and are not expanded (left at -1); when it is not
    // reached, every node the source reaches has its level: the minimum cut's source side
    private bool Levels()
    {
        Array.Fill(_level, -1, 0, _nodes);
        _level[Source] = 0;
        var (read, write) = (0, 0);
        _queue[write++] = Source;
        while (read < write)
        {
            var u = _queue[read++];
            var next = _level[u] + 1;
            if (_level[Sink] >= 0 && next > _level[Sink])
            {
                break;
            }

            for (var e = _head[u]; e >= 0; e = _next[e])
            {
                var v = _to[e];
                if (_level[v] < 0 && _capacity[e] > _epsilon)
                {
                    _level[v] = next;
                    _queue[write++] = v;
                }
            }
        }

        return _level[Sink] >= 0;
    }

    // flow along the levels, depth first from u, up to the limit: each arc takes what it can before the next is tried,
    // and each node's current arc advances past what is full or a dead end; returns what was sent
    private double Push(int u, double limit)
    {
        if (u == Sink)
        {
            return limit;
        }

        double sent = 0;
        for (; _arc[u] >= 0; _arc[u] = _next[_arc[u]])
        {
            var e = _arc[u];
            var v = _to[e];
            if (_capacity[e] > _epsilon && _level[v] == _level[u] + 1)
            {
                var pushed = Push(v, Math.Min(limit - sent, _capacity[e]));
                if (pushed > 0)
                {
                    _capacity[e] -= pushed;
                    _capacity[e ^ 1] += pushed;
                    sent += pushed;
                    if (!(limit - sent > _epsilon))
                    {
                        return sent;
                    }
                }
            }
        }

        return sent;
    }
}
