using Caisson.Api.Cri;
using Caisson.Testing.Daemon;
using Caisson.Testing.FaultRegistry;
using Caisson.Testing.Images;

namespace Caisson.Tests.Cri;

/// <summary>kill -9 of caissond in the middle of a pull: the store must reopen consistent and the pull resume.</summary>
[Trait("Category", "Integration")]
[Trait("Category", "Privileged")]
public sealed class PullCrashTests
{
    private const long StallAfter = 300_000;

    [Fact]
    public async Task KilledMidBlobTheStoreReopensAndThePullResumesWithRange()
    {
        var image = TestImages.Busybox(ImageFormat.Oci, LayerCompressionKind.None);
        var layer = Assert.Single(image.Layers);
        Assert.True(layer.Descriptor.Size > StallAfter * 2, "the layer must be large enough to stall inside it");

        await using var registry = await FaultInjectingRegistry.StartAsync();
        foreach (var (digest, bytes) in image.Blobs)
            registry.AddBlob("crash/busybox", bytes);
        registry.AddManifest("crash/busybox", "v1", image.ManifestBytes, image.Descriptor.MediaType);
        registry.Faults.StallBlobAfter(layer.Digest.ToString(), StallAfter);
        var reference = $"{registry.Authority}/crash/busybox:v1";

        await using var daemon = await DaemonFixture.StartAsync($"[registry.hosts.\"{registry.Authority}\"]\nplain_http = true\n");
        using var pullCancel = new CancellationTokenSource();
        var firstPull = daemon.Images.PullImageAsync(new PullImageRequest { Image = new ImageSpec { Image = reference } }, cancellationToken: pullCancel.Token);

        var ingest = Path.Combine(daemon.Root, "content", "ingest", layer.Digest.Hex, "data");
        await WaitUntilAsync(() => File.Exists(ingest) && new FileInfo(ingest).Length >= StallAfter, "the layer download to stall mid-blob");
        await daemon.KillAsync();
        pullCancel.Cancel();
        await Assert.ThrowsAnyAsync<Exception>(async () => await firstPull);

        // What a crash leaves: a partial ingest, an unfinished snapshot, no blob, no name.
        Assert.False(File.Exists(Path.Combine(daemon.Root, "content", "blobs", "sha256", layer.Digest.Hex)));
        Assert.Equal(StallAfter, new FileInfo(ingest).Length);

        await daemon.RestartAsync();
        Assert.Empty((await daemon.Images.ListImagesAsync(new ListImagesRequest())).Images);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(daemon.Root, "snapshots", "overlayfs", "tmp")));

        registry.ClearRequests();
        var pulled = await daemon.Images.PullImageAsync(new PullImageRequest { Image = new ImageSpec { Image = reference } });

        Assert.Equal(image.ConfigDigest.ToString(), pulled.ImageRef);
        var blobRequests = registry.Requests.Where(r => r.Method == "GET" && r.Path.EndsWith(layer.Digest.ToString(), StringComparison.Ordinal)).ToList();
        var resumed = Assert.Single(blobRequests);
        Assert.Equal($"bytes={StallAfter}-", resumed.Header("Range"));
        var busybox = Path.Combine(ImageServicePullTests.SnapshotFs(daemon, image.ChainIds[^1]), "bin", "busybox");
        Assert.Equal(await File.ReadAllBytesAsync("/bin/busybox"), await File.ReadAllBytesAsync(busybox));
        Assert.False(Directory.Exists(Path.GetDirectoryName(ingest)), "the finished ingest was not cleaned up");
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }
}
