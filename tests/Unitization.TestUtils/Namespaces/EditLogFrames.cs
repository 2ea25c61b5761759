using System.Buffers.Binary;

namespace Unitization.TestUtils.Namespaces;

/// <summary>Where each frame of a local namespace's edit log starts (after the 8-byte magic, each frame is a 4-byte length, a CRC and the payload).</summary>
public static class EditLogFrames
{
    public static List<int> Starts(byte[] log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var starts = new List<int>();
        for (var at = 8; at + 4 <= log.Length; at += 8 + BinaryPrimitives.ReadInt32LittleEndian(log.AsSpan(at)))
        {
            starts.Add(at);
        }

        return starts;
    }
}
