using System.Globalization;

namespace Unitization.DataManager.Communities;

/// <summary>
/// A weighted edge list read from text: <c>u v [w]</c> per line, whitespace separated, <c>#</c> starts a comment, a
/// missing weight is 1. Node labels are any tokens, numbered in order of first appearance. A malformed line is
/// reported with its line number and skipped; the rest is read.
/// </summary>
internal sealed class EdgeList
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);

    public List<string> Labels { get; } = [];

    public List<int> From { get; } = [];

    public List<int> To { get; } = [];

    public List<double> Weights { get; } = [];

    public List<string> Errors { get; } = [];

    public static EdgeList Read(string path)
    {
        var list = new EdgeList();
        using var reader = new StreamReader(path, new FileStreamOptions { BufferSize = 1 << 16 });
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            list.ParseLine(line, path, lineNumber);
        }

        return list;
    }

    public CsrGraph ToGraph() =>
        CsrGraph.FromEdges(Labels.Count, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(From),
            System.Runtime.InteropServices.CollectionsMarshal.AsSpan(To), System.Runtime.InteropServices.CollectionsMarshal.AsSpan(Weights));

    private void ParseLine(string line, string path, int lineNumber)
    {
        var span = line.AsSpan();
        var hash = span.IndexOf('#');
        if (hash >= 0)
        {
            span = span[..hash];
        }

        Span<Range> parts = stackalloc Range[4];
        var count = span.SplitAny(parts, " \t", StringSplitOptions.RemoveEmptyEntries);
        if (count == 0)
        {
            return;
        }

        if (count < 2 || count > 3)
        {
            Errors.Add($"{path}:{lineNumber}: expected 'u v [w]', found {(count < 2 ? "one field" : "more than three fields")}");
            return;
        }

        var weight = 1.0;
        if (count == 3)
        {
            var text = span[parts[2]];
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out weight) || !(weight >= 0) || double.IsInfinity(weight))
            {
                Errors.Add($"{path}:{lineNumber}: weight '{text}' is not a finite number >= 0");
                return;
            }
        }

        From.Add(Id(span[parts[0]]));
        To.Add(Id(span[parts[1]]));
        Weights.Add(weight);
    }

    private int Id(ReadOnlySpan<char> label)
    {
        var lookup = _ids.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(label, out var id))
        {
            return id;
        }

        id = Labels.Count;
        var text = label.ToString();
        _ids[text] = id;
        Labels.Add(text);
        return id;
    }
}
