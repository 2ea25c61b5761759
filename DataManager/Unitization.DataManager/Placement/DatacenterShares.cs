using System.Globalization;

namespace Unitization.DataManager.Placement;

/// <summary>Parses <c>dcA=5,dcB=3,dcC=2</c>: datacenter ids and their capacity shares.</summary>
internal static class DatacenterShares
{
    public static (string[] Ids, double[] Shares) Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<string>();
        var shares = new List<double>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new FormatException($"'{part}': expected id=share, e.g. dcA=5");
            }

            var id = part[..eq].Trim();
            if (!double.TryParse(part[(eq + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var share) || !(share > 0) || double.IsInfinity(share))
            {
                throw new FormatException($"'{part}': the share must be a positive number");
            }

            if (ids.Contains(id, StringComparer.Ordinal))
            {
                throw new FormatException($"'{id}' appears twice");
            }

            ids.Add(id);
            shares.Add(share);
        }

        if (ids.Count == 0)
        {
            throw new FormatException("no datacenters given; expected e.g. dcA=5,dcB=3,dcC=2");
        }

        return ([.. ids], [.. shares]);
    }
}
