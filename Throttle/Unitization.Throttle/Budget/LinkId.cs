namespace Unitization.Throttle.Budget;

/// <summary>A directed inter-datacenter link, e.g. <c>dcA→dcB</c>.</summary>
public readonly record struct LinkId(string From, string To)
{
    public override string ToString() => $"{From}->{To}";

    /// <summary>Parses <c>dcA->dcB</c>.</summary>
    public static LinkId Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var i = text.IndexOf("->", StringComparison.Ordinal);
        if (i <= 0 || i + 2 >= text.Length)
        {
            throw new FormatException($"'{text}' is not a link; expected 'from->to', e.g. 'dcA->dcB'.");
        }

        return new LinkId(text[..i], text[(i + 2)..]);
    }
}
