using System.IO.Pipelines;
using Unitization.Router.Gateway;

namespace Unitization.Router.Tests.Gateway;

public sealed class FileBodyTests : IDisposable
{
    private readonly string _file = Path.Join(Path.GetTempPath(), $"filebody-{Guid.NewGuid():N}");

    public void Dispose() => File.Delete(_file);

    [Theory]
    [InlineData(0, 10_000)]
    [InlineData(1, 4095)]
    [InlineData(4096, 4096)]
    [InlineData(9_999, 1)]
    [InlineData(5_000, 0)]
    public async Task SendAsync_Range_SendsExactlyThoseBytesAcrossChunks(long offset, long count)
    {
        var data = Enumerable.Range(0, 10_000).Select(i => (byte)(i * 7)).ToArray();
        await File.WriteAllBytesAsync(_file, data, TestContext.Current.CancellationToken);
        using var handle = File.OpenHandle(_file);
        var target = new MemoryStream();
        var writer = PipeWriter.Create(target);

        var sent = await FileBody.SendAsync(handle, offset, count, writer, chunkBytes: 1000, TestContext.Current.CancellationToken);
        await writer.CompleteAsync();

        Assert.Equal(count, sent);
        Assert.Equal(data.AsSpan((int)offset, (int)count).ToArray(), target.ToArray());
    }

    [Fact]
    public async Task SendAsync_FileShorterThanAsked_StopsAtItsEnd()
    {
        await File.WriteAllBytesAsync(_file, new byte[100], TestContext.Current.CancellationToken);
        using var handle = File.OpenHandle(_file);
        var target = new MemoryStream();
        var writer = PipeWriter.Create(target);

        var sent = await FileBody.SendAsync(handle, 40, 1000, writer, chunkBytes: 32, TestContext.Current.CancellationToken);
        await writer.CompleteAsync();

        Assert.Equal(60, sent);
        Assert.Equal(60, target.ToArray().Length);
    }
}
