using System.Net;

namespace Unitization.Hdfs.WebHdfs;

/// <summary>
/// A request body produced by a write delegate as it is sent: the bytes go to the connection chunk by chunk
/// (<c>Transfer-Encoding: chunked</c>, as Hadoop's WebHdfsFileSystem streams a CREATE), never gathered whole.
/// </summary>
internal sealed class StreamingWriteContent(Func<Stream, CancellationToken, Task> write) : HttpContent
{
    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        write(stream, cancellationToken);

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
