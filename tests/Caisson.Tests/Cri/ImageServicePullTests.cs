using Caisson.Api.Cri;
using Caisson.Core.Digests;
using Caisson.Testing.Daemon;
using Caisson.Testing.Images;
using Caisson.Testing.Registry;
using Grpc.Core;

namespace Caisson.Tests.Cri;

/// <summary>CRI ImageService through a real caissond against a real docker-registry.</summary>
[Trait("Category", "Integration")]
[Trait("Category", "Privileged")]
public sealed class ImageServicePullTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private static ImageSpec Spec(string image) => new() { Image = image };

    [Theory]
    [MemberData(nameof(TestImages.Variants), MemberType = typeof(TestImages))]
    public async Task PullsEveryMediaTypeAndCompression(ImageFormat format, LayerCompressionKind compression)
    {
        var image = TestImages.Busybox(format, compression);
        var reference = await registry.PushAsync(image, $"variants/busybox-{format}-{compression}:v1".ToLowerInvariant());
        await using var daemon = await DaemonFixture.StartAsync(DaemonConfig.For(registry));

        var pulled = await daemon.Images.PullImageAsync(new PullImageRequest { Image = Spec(reference) });

        Assert.Equal(image.ConfigDigest.ToString(), pulled.ImageRef);
        var status = await daemon.Images.ImageStatusAsync(new ImageStatusRequest { Image = Spec(reference), Verbose = true });
        Assert.NotNull(status.Image);
        Assert.Equal(image.ConfigDigest.ToString(), status.Image.Id);
        Assert.Equal([reference], status.Image.RepoTags);
        var repository = reference[..reference.LastIndexOf(':')];
        Assert.Equal([$"{repository}@{image.Digest}"], status.Image.RepoDigests);
        Assert.Equal((ulong)(image.ConfigDescriptor.Size + image.Layers.Sum(l => l.Descriptor.Size)), status.Image.Size);
        Assert.Contains(image.ChainIds[^1].ToString(), status.Info["info"], StringComparison.Ordinal);

        // The unpacked busybox is byte-identical to the host's.
        var busybox = Path.Combine(SnapshotFs(daemon, image.ChainIds[^1]), "bin", "busybox");
        Assert.Equal(await File.ReadAllBytesAsync("/bin/busybox"), await File.ReadAllBytesAsync(busybox));
    }

    [Fact]
    public async Task FindsTheImageByIdDigestAndShortName()
    {
        var image = TestImages.Busybox();
        var reference = await registry.PushAsync(image, "lookup/busybox:latest");
        await using var daemon = await DaemonFixture.StartAsync(DaemonConfig.For(registry));
        await daemon.Images.PullImageAsync(new PullImageRequest { Image = Spec(reference) });
        var repository = reference[..reference.LastIndexOf(':')];

        foreach (var name in new[] { image.ConfigDigest.ToString(), $"{repository}@{image.Digest}", repository, image.ConfigDigest.Hex[..12] })
        {
            var status = await daemon.Images.ImageStatusAsync(new ImageStatusRequest { Image = Spec(name) });
            Assert.True(status.Image is not null, $"ImageStatus({name}) found nothing");
            Assert.Equal(image.ConfigDigest.ToString(), status.Image!.Id);
        }

        var filtered = await daemon.Images.ListImagesAsync(new ListImagesRequest { Filter = new ImageFilter { Image = Spec(reference) } });
        Assert.Single(filtered.Images);
        var none = await daemon.Images.ListImagesAsync(new ListImagesRequest { Filter = new ImageFilter { Image = Spec(repository + ":other") } });
        Assert.Empty(none.Images);
    }

    [Theory]
    [InlineData(ImageFormat.Oci)]
    [InlineData(ImageFormat.Docker)]
    public async Task MultiLayerImageMergesToTheExpectedTree(ImageFormat format)
    {
        var image = TestImages.MultiLayer(format);
        var reference = await registry.PushAsync(image, $"multi/{format}:v1".ToLowerInvariant());
        await using var daemon = await DaemonFixture.StartAsync(DaemonConfig.For(registry));
        await daemon.Images.PullImageAsync(new PullImageRequest { Image = Spec(reference) });

        await using var merged = await OverlayView.MountAsync(daemon, image.ChainIds);
        var mismatches = TestImages.MultiLayerExpected.FindMismatches(merged.Path);
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }

    [Fact]
    public async Task PicksThisMachinesPlatformFromAnIndex()
    {
        var native = TestImages.Busybox();
        var other = new ImageBuilder().WithPlatform("linux", "s390x")
            .AddLayer(LayerCompressionKind.Gzip, l => l.TextFile("/marker", "s390x")).Build();
        var index = new IndexBuilder().Add(other).Add(native).Build();
        var reference = await registry.PushAsync(index, "multiarch/busybox:latest");
        await using var daemon = await DaemonFixture.StartAsync(DaemonConfig.For(registry));

        var pulled = await daemon.Images.PullImageAsync(new PullImageRequest { Image = Spec(reference) });

        Assert.Equal(native.ConfigDigest.ToString(), pulled.ImageRef);
        var status = await daemon.Images.ImageStatusAsync(new ImageStatusRequest { Image = Spec(reference) });
        var repository = reference[..reference.LastIndexOf(':')];
        Assert.Equal([$"{repository}@{index.Digest}"], status.Image.RepoDigests);
        Assert.False(File.Exists(daemon.Root + "/content/blobs/sha256/" + other.ConfigDigest.Hex), "the other platform's config was fetched");
    }

    [Fact]
    public async Task MissingImageIsNotFound()
    {
        await using var daemon = await DaemonFixture.StartAsync(DaemonConfig.For(registry));
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await daemon.Images.PullImageAsync(new PullImageRequest { Image = Spec($"{registry.Host}/nothing/here:v1") }));
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Contains("nothing/here", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MirrorServesAnotherRegistryName()
    {
        var image = TestImages.Busybox();
        await registry.PushAsync(image, "pause:3.10");
        await using var daemon = await DaemonFixture.StartAsync(DaemonConfig.For(registry) + DaemonConfig.Mirror("registry.k8s.io", registry));

        var pulled = await daemon.Images.PullImageAsync(new PullImageRequest { Image = Spec("registry.k8s.io/pause:3.10") });

        Assert.Equal(image.ConfigDigest.ToString(), pulled.ImageRef);
        var status = await daemon.Images.ImageStatusAsync(new ImageStatusRequest { Image = Spec("registry.k8s.io/pause:3.10") });
        Assert.Equal(["registry.k8s.io/pause:3.10"], status.Image.RepoTags);
    }

    [Fact]
    public async Task RemovingTheImageCollectsItsBlobsAndSnapshots()
    {
        var keep = TestImages.Busybox(ImageFormat.Oci, LayerCompressionKind.Zstd);
        var drop = TestImages.MultiLayer();
        var keepRef = await registry.PushAsync(keep, "gc/keep:v1");
        var dropRef = await registry.PushAsync(drop, "gc/drop:v1");
        await using var daemon = await DaemonFixture.StartAsync(DaemonConfig.For(registry));
        await daemon.Images.PullImageAsync(new PullImageRequest { Image = Spec(keepRef) });
        await daemon.Images.PullImageAsync(new PullImageRequest { Image = Spec(dropRef) });

        await daemon.Images.RemoveImageAsync(new RemoveImageRequest { Image = Spec(dropRef) });

        var left = (await daemon.Images.ListImagesAsync(new ListImagesRequest())).Images;
        Assert.Equal(keep.ConfigDigest.ToString(), Assert.Single(left).Id);
        var blobs = Directory.GetFiles(Path.Combine(daemon.Root, "content", "blobs", "sha256")).Select(Path.GetFileName).Order().ToArray();
        var expected = new[] { keep.Digest, keep.ConfigDigest }.Concat(keep.Layers.Select(l => l.Digest)).Select(d => d.Hex).Order().ToArray();
        Assert.Equal(expected, blobs);
        foreach (var chainId in drop.ChainIds)
            Assert.False(Directory.Exists(SnapshotDir(daemon, chainId)), $"snapshot {chainId} was not collected");
        Assert.True(Directory.Exists(SnapshotDir(daemon, keep.ChainIds[^1])));
    }

    [Fact]
    public async Task ConcurrentPullsOfOneImageDownloadEachBlobOnce()
    {
        // A registry of its own, so its log holds only this test's requests.
        await using var own = await RegistryFixture.StartAsync();
        var image = TestImages.MultiLayer(ImageFormat.Docker, LayerCompressionKind.Gzip);
        var reference = await own.PushAsync(image, "shared/multi:v1");
        await using var daemon = await DaemonFixture.StartAsync(DaemonConfig.For(own));

        var pulls = Enumerable.Range(0, 4).Select(_ => daemon.Images.PullImageAsync(new PullImageRequest { Image = Spec(reference) }).ResponseAsync).ToArray();
        var results = await Task.WhenAll(pulls);

        Assert.All(results, r => Assert.Equal(image.ConfigDigest.ToString(), r.ImageRef));
        foreach (var layer in image.Layers)
        {
            var fetches = CountBlobGets(own.Logs, layer.Digest);
            Assert.True(fetches == 1, $"layer {layer.Digest} was fetched {fetches} times; registry log:\n{own.Logs}");
        }
    }

    /// <summary>Blob GETs the registry answered, from its info-level log ("response completed" lines).</summary>
    private static int CountBlobGets(string logs, Digest digest) =>
        logs.Split('\n').Count(line => line.Contains("response completed", StringComparison.Ordinal)
            && line.Contains("http.request.method=GET", StringComparison.Ordinal)
            && line.Contains($"/blobs/{digest}", StringComparison.Ordinal));

    internal static string SnapshotDir(DaemonFixture daemon, Digest chainId) =>
        Path.Combine(daemon.Root, "snapshots", "overlayfs", chainId.Hex);

    internal static string SnapshotFs(DaemonFixture daemon, Digest chainId) => Path.Combine(SnapshotDir(daemon, chainId), "fs");
}
