namespace Unitization.Hdfs.WebHdfs;

/// <summary>HDFS's <c>dfs.checksum.combine.mode</c>: how a file's checksum combines its blocks' CRCs.</summary>
public enum HdfsChecksumMode
{
    /// <summary><c>MD5MD5CRC</c> (the default): MD5 of the blocks' MD5s of their chunk CRCs; depends on the block size.</summary>
    Md5Md5Crc,

    /// <summary><c>COMPOSITE_CRC</c>: the CRCs composed into the CRC of the whole file; the same for any block size.</summary>
    CompositeCrc,
}
