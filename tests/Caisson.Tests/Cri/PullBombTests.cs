using System.Security.Cryptography;
using System.Text;
using Caisson.Api.Cri;
using Caisson.Testing.Daemon;
using Caisson.Testing.FaultRegistry;
using Caisson.Tests.Images.Unpack;
using Grpc.Core;

namespace Caisson.Tests.Cri;

/// <summary>
/// A registry serving a gzip bomb (about 20 MB expanding to a 20 GiB file): the daemon's memory stays bounded while
/// it unpacks, and when the client gives up the daemon stops unpacking and discards the half-written snapshot.
/// </summary>
[Trait("Category", "Integration")]
[Trait("Category", "Privileged")]
[Collection(nameof(MemoryMeasuringCollection))]
public sealed class PullBombTests
{
    private const long BombSize = 20L << 30;

    [Fact]
    public async Task CancelledPullStopsUnpackingABombWithBoundedMemory()
    {
        var layer = GzipBombTests.BuildBomb(BombSize);
        var layerDigest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(layer));
        // The diff id cannot be known without inflating 20 GiB; the pull is cancelled long before it matters.
        var config = Encoding.UTF8.GetBytes(
            """{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:0000000000000000000000000000000000000000000000000000000000000000"]}}""");
        var configDigest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(config));
        var manifest = Encoding.UTF8.GetBytes($$"""
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
             "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{configDigest}}","size":{{config.Length}}},
             "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"{{layerDigest}}","size":{{layer.Length}}}]}
            """);

        await using var registry = await FaultInjectingRegistry.StartAsync();
        registry.AddBlob("bomb/image", layer);
        registry.AddBlob("bomb/image", config);
        registry.AddManifest("bomb/image", "v1", manifest, "application/vnd.oci.image.manifest.v1+json");
        await using var daemon = await DaemonFixture.StartAsync($"[registry.hosts.\"{registry.Authority}\"]\nplain_http = true\n");
        var residentBefore = Kilobytes(daemon.ProcessId, "VmRSS");

        var pull = daemon.Images.PullImageAsync(new PullImageRequest { Image = new ImageSpec { Image = $"{registry.Authority}/bomb/image:v1" } },
            deadline: DateTime.UtcNow.AddSeconds(4));
        var error = await Assert.ThrowsAsync<RpcException>(async () => await pull);
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);

        // The unpack stops: the work directory goes away and nothing keeps growing on disk.
        var tmp = Path.Combine(daemon.Root, "snapshots", "overlayfs", "tmp");
        // Unpacking all 20 GiB takes far longer than this, so only a working cancellation empties it in time.
        var deadline = DateTime.UtcNow.AddSeconds(3);
        while (Directory.EnumerateFileSystemEntries(tmp).Any() && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        Assert.Empty(Directory.EnumerateFileSystemEntries(tmp));
        Assert.DoesNotContain(Directory.EnumerateDirectories(Path.Combine(daemon.Root, "snapshots", "overlayfs")), d => !d.EndsWith("/tmp", StringComparison.Ordinal));
        Assert.Empty((await daemon.Images.ListImagesAsync(new ListImagesRequest())).Images);

        var peakGrowthMegabytes = (Kilobytes(daemon.ProcessId, "VmHWM") - residentBefore) / 1024;
        Assert.True(peakGrowthMegabytes < 300, $"the daemon's peak resident set grew by {peakGrowthMegabytes} MB while unpacking the bomb");

        // The daemon is still healthy.
        Assert.Equal("caisson", (await daemon.Runtime.VersionAsync(new VersionRequest())).RuntimeName);
    }

    private static long Kilobytes(int pid, string field)
    {
        var line = File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }
}
