using System.Buffers.Text;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Unitization.DataManager.Communities;

/// <summary>
/// A weighted edge list read from text: <c>u v [w]</c> per line, whitespace separated, <c>#</c> starts a comment, a
/// missing weight is 1. A malformed line is reported with its line number and skipped; the rest is read. The file is
/// parsed as UTF-8 bytes in large blocks (no string per line or per token). Labels written as canonical decimals below
/// <see cref="DenseLimit"/> are numbered in order of their value, through an array indexed by the value (no hashing),
/// so ids that are neighbours in the file's numbering stay neighbours in the graph (local moving then visits a
/// neighbourhood while it is in cache: measured a third less Leiden time than first-appearance numbering on a 200k-node
/// planted graph); any other label (text, a leading zero, a larger number) follows, in order of first appearance,
/// looked up by its bytes and kept once for <see cref="WriteMembership"/>.
/// </summary>
internal sealed class EdgeList
{
    private const int BlockSize = 1 << 22;

    /// <summary>Canonical decimal labels below this are numbered by value (an array of this many flags at most).</summary>
    internal const int DenseLimit = 1 << 24;

    private readonly Dictionary<long, int> _numericIds = [];
    private bool[] _denseSeen = new bool[1 << 16];
    private int _denseEnd; // one past the largest dense value seen
    private int[] _denseValues = []; // id -> value for the dense labels, which take ids 0..DenseCount-1
    private readonly Dictionary<string, int> _textIds = new(StringComparer.Ordinal);
    private readonly List<int> _labelStart = [0];
    private byte[] _labelBytes = new byte[1 << 16];

    public int LabelCount => _denseValues.Length + _labelStart.Count - 1;

    /// <summary>The labels as strings, by id (built on demand).</summary>
    public IReadOnlyList<string> Labels =>
        [.. Enumerable.Range(0, LabelCount).Select(i => i < _denseValues.Length
            ? _denseValues[i].ToString(CultureInfo.InvariantCulture)
            : Encoding.UTF8.GetString(Label(i - _denseValues.Length)))];

    public List<int> From { get; } = [];

    public List<int> To { get; } = [];

    public List<double> Weights { get; } = [];

    public List<string> Errors { get; } = [];

    public static EdgeList Read(string path)
    {
        var list = new EdgeList();
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        var expected = (int)Math.Min(stream.Length / 12, 1 << 26); // about one edge a 12 bytes: grown less often
        list.From.Capacity = expected;
        list.To.Capacity = expected;
        list.Weights.Capacity = expected;
        var buffer = new byte[BlockSize];
        var filled = 0;
        var lineNumber = 0;
        while (true)
        {
            var read = stream.Read(buffer, filled, buffer.Length - filled);
            filled += read;
            var span = buffer.AsSpan(0, filled);
            var consumed = list.ParseLines(span, last: read == 0, path, ref lineNumber);
            if (read == 0)
            {
                list.NumberLabels();
                return list;
            }

            span[consumed..].CopyTo(buffer);
            filled -= consumed;
            if (filled == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2); // a line longer than the block
            }
        }
    }

    public CsrGraph ToGraph() =>
        CsrGraph.FromEdges(LabelCount, CollectionsMarshal.AsSpan(From), CollectionsMarshal.AsSpan(To), CollectionsMarshal.AsSpan(Weights));

    /// <summary>Writes <c>label community</c> lines, one per node in id order.</summary>
    public void WriteMembership(string path, int[] membership)
    {
        ArgumentNullException.ThrowIfNull(membership);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1);
        var buffer = new byte[1 << 20];
        var at = 0;
        for (var i = 0; i < _denseValues.Length; i++)
        {
            if (at + 32 > buffer.Length)
            {
                stream.Write(buffer, 0, at);
                at = 0;
            }

            Utf8Formatter.TryFormat(_denseValues[i], buffer.AsSpan(at), out var labelLength);
            at += labelLength;
            buffer[at++] = (byte)' ';
            Utf8Formatter.TryFormat(membership[i], buffer.AsSpan(at), out var written);
            at += written;
            buffer[at++] = (byte)'\n';
        }

        for (var i = _denseValues.Length; i < LabelCount; i++)
        {
            var label = Label(i - _denseValues.Length);
            if (at + label.Length + 16 > buffer.Length)
            {
                stream.Write(buffer, 0, at);
                at = 0;
                if (label.Length + 16 > buffer.Length)
                {
                    buffer = new byte[label.Length + 16];
                }
            }

            label.CopyTo(buffer.AsSpan(at));
            at += label.Length;
            buffer[at++] = (byte)' ';
            Utf8Formatter.TryFormat(membership[i], buffer.AsSpan(at), out var written);
            at += written;
            buffer[at++] = (byte)'\n';
        }

        stream.Write(buffer, 0, at);
    }

    private ReadOnlySpan<byte> Label(int id) => _labelBytes.AsSpan(_labelStart[id], _labelStart[id + 1] - _labelStart[id]);

    /// <summary>
    /// Parses the whole lines of <paramref name="block"/> (and, when it is the file's <paramref name="last"/> block,
    /// the line it ends with, without a newline); returns the bytes parsed. The common line is read in one pass, its
    /// newline found as it ends; any other line is first cut at its newline.
    /// </summary>
    private int ParseLines(ReadOnlySpan<byte> block, bool last, string path, ref int lineNumber)
    {
        var at = 0;
        while (at < block.Length)
        {
            var rest = block[at..];
            var used = TryParseSimple(rest, last, out var u, out var v, out var w);
            if (used > 0)
            {
                From.Add(Dense(u));
                To.Add(Dense(v));
                Weights.Add(w);
                lineNumber++;
                at += used;
                continue;
            }

            var end = rest.IndexOf((byte)'\n');
            if (end < 0)
            {
                if (last)
                {
                    ParseLine(rest, path, ++lineNumber); // the last line, without a newline
                    at = block.Length;
                }

                break;
            }

            ParseLine(rest[..end], path, ++lineNumber);
            at += end + 1;
        }

        return at;
    }

    // one line, without its newline, that the one-pass reader did not take (it has tried this very line)
    private void ParseLine(ReadOnlySpan<byte> line, string path, int lineNumber)
    {
        var hash = line.IndexOf((byte)'#');
        if (hash >= 0)
        {
            line = line[..hash];
        }

        Span<Range> parts = stackalloc Range[4];
        var count = 0;
        var i = 0;
        while (count < 4)
        {
            while (i < line.Length && IsSpace(line[i]))
            {
                i++;
            }

            if (i == line.Length)
            {
                break;
            }

            var start = i;
            while (i < line.Length && !IsSpace(line[i]))
            {
                i++;
            }

            parts[count++] = start..i;
        }

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
            var text = line[parts[2]];
            if (!(Utf8Parser.TryParse(text, out weight, out var used) && used == text.Length) || !(weight >= 0) || double.IsInfinity(weight))
            {
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out weight) || !(weight >= 0) || double.IsInfinity(weight))
                {
                    Errors.Add($"{path}:{lineNumber}: weight '{Encoding.UTF8.GetString(text)}' is not a finite number >= 0");
                    return;
                }
            }
        }

        From.Add(Id(line[parts[0]]));
        To.Add(Id(line[parts[1]]));
        Weights.Add(weight);
    }

    /// <summary>
    /// The common line read without splitting it, from the start of <paramref name="text"/>: two canonical decimal
    /// labels below <see cref="DenseLimit"/> and a weight of digits with at most one decimal point (at most 15 digits,
    /// so the digits are an exact double and one division by an exact power of ten gives the correctly rounded value,
    /// as the full parser would), separated by spaces or tabs, ending at a newline (or at the end of the text when
    /// <paramref name="last"/>). Returns the bytes of the line with its newline, or 0: anything else (a comment, an
    /// exponent, a text label, a missing weight, a line the text cuts) goes to the full parser.
    /// </summary>
    private static int TryParseSimple(ReadOnlySpan<byte> text, bool last, out int u, out int v, out double weight)
    {
        weight = 0;
        var i = 0;
        if (!TryLabel(text, ref i, out u) || !TrySpace(text, ref i) || !TryLabel(text, ref i, out v) || !TrySpace(text, ref i))
        {
            v = 0;
            return 0;
        }

        long digits = 0;
        var count = 0;
        var decimals = -1;
        for (; i < text.Length; i++)
        {
            var b = text[i];
            var digit = b - (byte)'0';
            if ((uint)digit <= 9)
            {
                digits = (digits * 10) + digit;
                count++;
                decimals += decimals >= 0 ? 1 : 0;
            }
            else if (b == (byte)'.' && decimals < 0)
            {
                decimals = 0;
            }
            else
            {
                break;
            }
        }

        while (i < text.Length && IsSpace(text[i]))
        {
            i++;
        }

        var used = i < text.Length ? (text[i] == (byte)'\n' ? i + 1 : 0) : (last ? i : 0);
        if (used == 0 || count is 0 or > 15 || decimals == 0)
        {
            return 0;
        }

        weight = decimals > 0 ? digits / PowersOfTen[decimals] : digits;
        return used;
    }

    private static readonly double[] PowersOfTen = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

    // a canonical decimal label below DenseLimit (no sign, no leading zero) at i, moving i past it
    private static bool TryLabel(ReadOnlySpan<byte> line, ref int i, out int value)
    {
        value = 0;
        var start = i;
        for (; i < line.Length && (uint)(line[i] - (byte)'0') <= 9; i++)
        {
            value = (value * 10) + (line[i] - (byte)'0');
            if (value >= DenseLimit)
            {
                return false;
            }
        }

        return i > start && !(line[start] == (byte)'0' && i - start > 1);
    }

    // at least one space or tab at i, moving i past them
    private static bool TrySpace(ReadOnlySpan<byte> line, ref int i)
    {
        var start = i;
        while (i < line.Length && line[i] is (byte)' ' or (byte)'\t')
        {
            i++;
        }

        return i > start;
    }

    // whitespace between fields: space, tab, and the CR of CRLF line ends
    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r';

    // While reading: a dense label's code is its value, any other's the complement of its index among the others;
    // NumberLabels turns the codes into ids.
    private int Id(ReadOnlySpan<byte> label)
    {
        var value = Canonical(label);
        return value is >= 0 and < DenseLimit ? Dense((int)value) : ~OtherId(label, value);
    }

    private int Dense(int value)
    {
        if (value >= _denseSeen.Length)
        {
            Array.Resize(ref _denseSeen, (int)Math.Min(DenseLimit, Math.Max(2L * _denseSeen.Length, value + 1L)));
        }

        _denseSeen[value] = true;
        _denseEnd = Math.Max(_denseEnd, value + 1);
        return value;
    }

    // Dense labels take ids 0..k-1 in order of value, the others k.. in order of first appearance.
    private void NumberLabels()
    {
        var ids = new int[_denseEnd];
        var count = 0;
        for (var value = 0; value < _denseEnd; value++)
        {
            ids[value] = _denseSeen[value] ? count++ : -1;
        }

        _denseValues = new int[count];
        for (var value = 0; value < _denseEnd; value++)
        {
            if (ids[value] >= 0)
            {
                _denseValues[ids[value]] = value;
            }
        }

        _denseSeen = [];
        foreach (var codes in (List<int>[])[From, To])
        {
            foreach (ref var code in CollectionsMarshal.AsSpan(codes))
            {
                code = code >= 0 ? ids[code] : count + ~code;
            }
        }
    }

    private int OtherId(ReadOnlySpan<byte> label, long value)
    {
        if (value >= 0)
        {
            ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_numericIds, value, out var exists);
            if (!exists)
            {
                slot = NewLabel(label);
            }

            return slot;
        }

        var text = Encoding.UTF8.GetString(label);
        if (!_textIds.TryGetValue(text, out var id))
        {
            id = NewLabel(label);
            _textIds[text] = id;
        }

        return id;
    }

    // the value of a label written as a canonical decimal (digits, no leading zero, at most 18 of them), else -1:
    // two different labels never share a value
    private static long Canonical(ReadOnlySpan<byte> label)
    {
        if (label.Length is 0 or > 18 || (label[0] == (byte)'0' && label.Length > 1))
        {
            return -1;
        }

        long value = 0;
        foreach (var b in label)
        {
            var digit = b - (byte)'0';
            if ((uint)digit > 9)
            {
                return -1;
            }

            value = (value * 10) + digit;
        }

        return value;
    }

    private int NewLabel(ReadOnlySpan<byte> label)
    {
        var end = _labelStart[^1];
        if (end + label.Length > _labelBytes.Length)
        {
            Array.Resize(ref _labelBytes, Math.Max(_labelBytes.Length * 2, end + label.Length));
        }

        label.CopyTo(_labelBytes.AsSpan(end));
        _labelStart.Add(end + label.Length);
        return _labelStart.Count - 2;
    }
}
