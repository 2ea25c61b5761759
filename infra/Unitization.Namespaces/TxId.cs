namespace Unitization.Namespaces;

/// <summary>A namespace transaction id: every mutation gets the next one, like an HDFS NameNode's edits.</summary>
public readonly record struct TxId(long Value) : IComparable<TxId>
{
    /// <summary>Before the first edit.</summary>
    public static readonly TxId None = new(0);

    public int CompareTo(TxId other) => Value.CompareTo(other.Value);

    public static bool operator <(TxId left, TxId right) => left.Value < right.Value;
    public static bool operator >(TxId left, TxId right) => left.Value > right.Value;
    public static bool operator <=(TxId left, TxId right) => left.Value <= right.Value;
    public static bool operator >=(TxId left, TxId right) => left.Value >= right.Value;

    public static TxId Max(TxId a, TxId b) => a >= b ? a : b;

    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
