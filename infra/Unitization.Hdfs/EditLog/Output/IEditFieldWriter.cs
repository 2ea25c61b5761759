namespace Unitization.Hdfs.EditLog.Output;

/// <summary>
/// Receives an op's fields in the order and with the names <c>hdfs oev -p xml</c> prints them (Hadoop's
/// <c>FSEditLogOp.toXml</c>): leaves, nested elements, and repeated elements (BLOCK, ENTRY, XATTR, ...).
/// </summary>
internal interface IEditFieldWriter
{
    void Text(string name, string value);

    void Number(string name, long value);

    void Boolean(string name, bool value);

    /// <summary>Opens a nested element; <paramref name="repeated"/> marks one that may occur several times.</summary>
    void Begin(string name, bool repeated = false);

    void End();
}
