namespace Unitization.Hdfs.EditLog;

/// <summary>
/// The layout versions this decoder reads: -51 (Hadoop 2.3, the first with cache pools) through -67, the newest that
/// Hadoop 3.4 writes. -54 is the version Hadoop reserved for 2.4.0: the features of -53 without rolling upgrade.
/// </summary>
internal static class EditLogLayout
{
    /// <summary>The oldest supported layout version (Hadoop 2.x).</summary>
    public const int Oldest = -51;

    /// <summary>The newest supported layout version (what Hadoop 3.4 writes).</summary>
    public const int Newest = -67;

    public static bool IsSupported(int layoutVersion) => layoutVersion <= Oldest && layoutVersion >= Newest;

    /// <summary>Whether <paramref name="layoutVersion"/> has <paramref name="feature"/> (Hadoop's <c>NameNodeLayoutVersion.supports</c>).</summary>
    public static bool Supports(EditLogFeature feature, int layoutVersion) =>
        layoutVersion == -54 ? (int)feature >= -53 : (int)feature >= layoutVersion;

    /// <summary>Whether ops carry a length field (EDITLOG_LENGTH); before it, an op is opcode, txid, body, checksum.</summary>
    public static bool HasOpLength(int layoutVersion) => Supports(EditLogFeature.EditLogLength, layoutVersion);

    /// <summary>Every supported version, oldest first.</summary>
    public static IReadOnlyList<int> All { get; } = Enumerable.Range(0, Oldest - Newest + 1).Select(i => Oldest - i).ToArray();
}
