using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging.Abstractions;
using Unitization.Hdfs.WebHdfs;
using Unitization.Host.Hosting;
using Unitization.TestUtils;
using Unitization.TestUtils.Security;
using Unitization.TestUtils.Servers;

namespace Unitization.IntegrationTests.Hdfs;

/// <summary>
/// The WebHDFS namespace against the project's own WebHDFS gateway (a router role over real HTTP with the shipped
/// configuration, its namespaces local directories): every operation the namespace uses, as a <c>Kind: hdfs</c>
/// datacenter served by a gateway would see them.
/// </summary>
public sealed class WebHdfsNamespaceOverGatewayTests : IDisposable
{
    private readonly TempDirectory _data = new("webhdfs-gateway");

    public void Dispose() => _data.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryOperation_AgainstTheGateway_BehavesAsOnHdfs()
    {
        var app = UnitizationHost.Build(new ServeSettings(
            RepositoryPaths.ShippedConfig, Role.Router, "http://127.0.0.1:0", TestServers.Kafka ?? "127.0.0.1:9", _data.Path,
            new Dictionary<string, string?>
            {
                // a router alone follows its namespaces read-only (and waits for a writer to create them): this one is dcB's NameNode stand-in
                ["NamespaceAccess"] = "write",
                ["Router:RefreshInterval"] = "00:00:00.100",
            }));
        await app.StartAsync(Ct);
        try
        {
            var ns = new WebHdfsNamespace("gw", [new Uri(app.Urls.First())], WebHdfsAuth.Simple("hive") with { BearerToken = TestCredentials.AdminHeader.Parameter }, handler: null, TimeProvider.System, NullLogger.Instance);
            const string Dir = "/warehouse/webhdfs_it/t";
            Assert.NotNull(await ns.MkdirsAsync(Dir, Ct));
            Assert.Null(await ns.MkdirsAsync(Dir, Ct));

            var data = Encoding.ASCII.GetBytes("0123456789");
            var edit = await ns.CreateAsync(Dir + "/part-0", (s, ct) => s.WriteAsync(data, ct).AsTask(), overwrite: false, Ct);
            Assert.Equal(10, edit.Size);
            await Assert.ThrowsAsync<IOException>(() => ns.CreateAsync(Dir + "/part-0", (s, ct) => s.WriteAsync(data, ct).AsTask(), overwrite: false, Ct));

            await using (var stream = await ns.OpenReadAsync(Dir + "/part-0", 2, 3, Ct))
            using (var reader = new StreamReader(stream))
            {
                Assert.Equal("234", await reader.ReadToEndAsync(Ct));
            }

            for (var i = 1; i <= 3; i++)
            {
                await ns.CreateAsync($"{Dir}/part-{i}", (s, ct) => s.WriteAsync(data.AsMemory(0, i), ct).AsTask(), overwrite: false, Ct);
            }

            var listed = await ns.ListAsync(Dir, Ct).Select(e => (e.Path, e.Length)).ToListAsync(Ct);
            Assert.Equal([(Dir + "/part-0", 10L), (Dir + "/part-1", 1L), (Dir + "/part-2", 2L), (Dir + "/part-3", 3L)], listed);

            // replace a file: the new bytes staged beside it, then one RENAME with OVERWRITE
            await ns.CreateAsync(Dir + "/part-3", (s, ct) => s.WriteAsync("abc"u8.ToArray(), ct).AsTask(), overwrite: true, Ct);
            await using (var stream = await ns.OpenReadAsync(Dir + "/part-3", Ct))
            using (var reader = new StreamReader(stream))
            {
                Assert.Equal("abc", await reader.ReadToEndAsync(Ct));
            }

            var when = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
            await ns.SetTimesAsync(Dir + "/part-1", when, Ct);
            Assert.Equal(when, (await ns.GetStatusAsync(Dir + "/part-1", Ct))!.ModificationTime);

            var summary = await ns.GetContentSummaryAsync(Dir, Ct);
            Assert.Equal((1L, 4L, 16L), (summary.DirectoryCount, summary.FileCount, summary.Length));
            var checksum = await ns.GetChecksumAsync(Dir + "/part-0", Ct);
            Assert.Equal(10, checksum.Length);
            Assert.NotEmpty(checksum.Hex);

            await ns.RenameAsync(Dir + "/part-1", Dir + "/moved", Ct);
            await Assert.ThrowsAsync<IOException>(() => ns.RenameAsync(Dir + "/part-2", Dir + "/moved", Ct));
            await Assert.ThrowsAsync<FileNotFoundException>(() => ns.RenameAsync(Dir + "/none", Dir + "/x", Ct));
            Assert.Null(await ns.GetStatusAsync(Dir + "/part-1", Ct));

            await Assert.ThrowsAsync<FileNotFoundException>(() => ns.OpenReadAsync(Dir + "/none", Ct));
            Assert.NotNull(await ns.DeleteAsync("/warehouse/webhdfs_it", recursive: true, Ct));
            Assert.Null(await ns.DeleteAsync("/warehouse/webhdfs_it", recursive: true, Ct));
        }
        finally
        {
            await app.StopAsync(Ct);
            await app.DisposeAsync();
        }
    }
}
