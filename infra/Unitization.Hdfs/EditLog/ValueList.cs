using System.Collections;

namespace Unitization.Hdfs.EditLog;

/// <summary>An immutable list that compares by its items, so records holding lists compare by value.</summary>
internal readonly struct ValueList<T> : IEquatable<ValueList<T>>, IReadOnlyList<T>
{
    private readonly T[]? _items;

    public ValueList(T[] items) => _items = items;

    public static ValueList<T> Empty => default;

    public int Count => _items?.Length ?? 0;

    public T this[int index] => (_items ?? [])[index];

    public ReadOnlySpan<T> AsSpan() => _items;

    public bool Equals(ValueList<T> other) => AsSpan().SequenceEqual(other.AsSpan(), EqualityComparer<T>.Default);

    public override bool Equals(object? obj) => obj is ValueList<T> other && Equals(other);

    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var item in AsSpan())
        {
            hash.Add(item);
        }

        return hash.ToHashCode();
    }

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)(_items ?? [])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public static bool operator ==(ValueList<T> left, ValueList<T> right) => left.Equals(right);

    public static bool operator !=(ValueList<T> left, ValueList<T> right) => !left.Equals(right);

    public override string ToString() => $"[{string.Join(", ", this)}]";
}

/// <summary>Builds <see cref="ValueList{T}"/>s.</summary>
internal static class ValueList
{
    public static ValueList<T> Of<T>(params T[] items) => new(items);
}
