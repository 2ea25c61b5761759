namespace Unitization.Hdfs.EditLog;

/// <summary>What <see cref="EditLogDecoder.TryRead"/> found at the current position.</summary>
internal enum EditLogReadStatus
{
    /// <summary>A whole op, checksum verified.</summary>
    Op,

    /// <summary>The end of the ops: the end of the bytes at an op boundary, or the OP_INVALID terminator and its padding.</summary>
    End,

    /// <summary>The bytes end inside an op (an in-progress segment being written): read again from <see cref="EditLogDecoder.Position"/> with more bytes.</summary>
    Incomplete,
}
