using System.Text;
using Caisson.Core.Digests;
using Caisson.Core.Errors;
using Caisson.Core.Oci;
using Caisson.Testing.Images;

namespace Caisson.Tests.Images.Archive;

/// <summary>Loading docker save archives: layers as docker stores them, manifests built here, names from RepoTags.</summary>
public sealed class LoadDockerSaveTests
{
    private static readonly BuiltLayer Base = ArchiveImages.Layer(LayerCompressionKind.None, ("/etc/os-release", "ID=caisson-test\n"));

    [Theory]
    [InlineData("overlayfs")]
    [InlineData("native")]
    public async Task LoadsUncompressedLayersIntoSnapshotsAndNamesTheImage(string snapshotter)
    {
        using var store = new ArchiveTestStore(snapshotter);
        Assert.Equal(snapshotter, store.Images.Snapshotter.Name);
        var image = TestImages.MultiLayer(ImageFormat.Docker, LayerCompressionKind.None);
        using var archive = new MemoryStream();
        DockerArchiveWriter.Write(archive, image, "multi:1", "localhost:5000/team/multi:v2");
        using var events = new EventRecorder(store.Images.Events);

        var loaded = await store.LoadAsync(archive.ToArray());

        Assert.Equal(["docker.io/library/multi:1", "localhost:5000/team/multi:v2"], loaded);
        var view = store.Images.Get("multi:1");
        Assert.Equal(image.ConfigDigest, view.Id);
        Assert.Equal(["docker.io/library/multi:1", "localhost:5000/team/multi:v2"], view.RepoTags);

        // The manifest is built here: Docker schema 2, the layers stored as they came, each blob named by its bytes.
        Assert.Equal(MediaTypes.DockerManifest, view.Details.ManifestMediaType);
        Assert.Equal(MediaTypes.DockerConfig, view.Details.Manifest.Config.MediaType);
        Assert.All(view.Details.Manifest.Layers, l => Assert.Equal(MediaTypes.DockerLayer, l.MediaType));
        Assert.Equal(image.Layers.Select(l => Digest.Sha256Of(l.UncompressedTar).ToString()), view.Details.Manifest.Layers.Select(l => l.Digest));
        foreach (var blob in view.Details.Manifest.Layers.Append(view.Details.Manifest.Config))
            Assert.Equal(Digest.Parse(blob.Digest), Digest.Sha256Of(await store.Images.Content.ReadAllAsync(Digest.Parse(blob.Digest), CancellationToken.None)));

        var top = view.Details.TopChainId!.Value;
        Assert.True(store.Images.Snapshotter.IsCommitted(top));
        using (var merged = MergedSnapshot.Open(store.Images.Snapshotter, top))
            Assert.Empty(TestImages.MultiLayerExpected.FindMismatches(merged.Path));

        var published = await events.TakeAsync(2);
        Assert.Equal(loaded, published.Select(e => e.Subject));
        Assert.All(published, e => Assert.Equal(("image.loaded", image.ConfigDigest.ToString()), (e.Type, e.Attributes["id"])));
        Assert.Empty(store.StagedFiles());
    }

    [Theory]
    [InlineData("uncompressed, as docker writes them", LayerCompressionKind.None, MediaTypes.DockerManifest, MediaTypes.DockerLayer)]
    [InlineData("gzip, as some tools write them", LayerCompressionKind.Gzip, MediaTypes.DockerManifest, MediaTypes.DockerLayerGzip)]
    [InlineData("zstd, which only an OCI manifest can describe", LayerCompressionKind.Zstd, MediaTypes.OciManifest, MediaTypes.OciLayerZstd)]
    public async Task KeepsLayersCompressedAsTheArchiveHasThem(string description, LayerCompressionKind compression, string manifestType, string layerType)
    {
        using var store = new ArchiveTestStore();
        var image = ArchiveImages.Image("compressed", [Base, ArchiveImages.Layer(LayerCompressionKind.None, ("/app/run", "run\n"))]);

        await store.LoadAsync(new DockerSaveBuilder { Compression = compression }.Add(image, "compressed:1").Build().ToArray());

        var view = store.Images.Get("compressed:1");
        Assert.Equal(manifestType, view.Details.ManifestMediaType);
        Assert.All(view.Details.Manifest.Layers, l => Assert.Equal(layerType, l.MediaType));
        Assert.Equal(image.Layers.Select(l => Digest.Sha256Of(LayerCompressor.Compress(l.UncompressedTar, compression)).ToString()),
            view.Details.Manifest.Layers.Select(l => l.Digest));
        Assert.True(store.Images.Snapshotter.IsCommitted(view.Details.TopChainId!.Value));
        Assert.False(string.IsNullOrEmpty(description));
    }

    [Fact]
    public async Task LoadsSeveralImagesSharingALayerThroughALinkAndKeepsAnUnnamedOne()
    {
        using var store = new ArchiveTestStore();
        var app = ArchiveImages.Image("app", [Base, ArchiveImages.Layer(LayerCompressionKind.None, ("/app/run", "app\n"))]);
        var tool = ArchiveImages.Image("tool", [Base, ArchiveImages.Layer(LayerCompressionKind.None, ("/usr/bin/tool", "tool\n"))]);
        var unnamed = ArchiveImages.Image("unnamed", [Base]);
        var archive = new DockerSaveBuilder().Add(app, "app:1").Add(tool, "tool:2", "tool:latest").Add(unnamed).Build();

        var loaded = await store.LoadAsync(archive.ToArray());

        // An unnamed image is reported by id and kept under import-<date>@<digest>, so it is not collected as garbage.
        Assert.Equal(["docker.io/library/app:1", "docker.io/library/tool:2", "docker.io/library/tool:latest", unnamed.ConfigDigest.ToString()], loaded);
        Assert.Equal(3, store.Images.List().Count);
        var kept = store.Images.Get(unnamed.ConfigDigest.ToString());
        Assert.Empty(kept.RepoTags);
        var record = Assert.Single(kept.Records);
        Assert.Equal($"docker.io/library/import-2025-03-14@{record.TargetDigest}", record.Name);

        await store.Images.CollectGarbageAsync(CancellationToken.None);
        Assert.Equal(new[] { Base.DiffId, app.ChainIds[^1], tool.ChainIds[^1] }.Select(d => d.ToString()).Order(),
            store.Images.Snapshotter.ListCommitted().Select(d => d.ToString()).Order());
    }

    [Fact]
    public async Task LoadingTheSameArchiveTwiceGivesTheSameImage()
    {
        using var store = new ArchiveTestStore();
        var image = ArchiveImages.Image("twice", [Base]);
        var archive = new DockerSaveBuilder().Add(image, "twice:1").Build().ToArray();

        await store.LoadAsync(archive);
        var first = store.Images.Get("twice:1");
        Assert.Equal(["docker.io/library/twice:1"], await store.LoadAsync(archive));
        var second = store.Images.Get("twice:1");

        Assert.Equal(first.Id, second.Id);
        Assert.Equal(first.Details.ManifestDigest, second.Details.ManifestDigest);
        Assert.Single(store.Images.List());
    }

    [Fact]
    public async Task ArchiveThatIsAlsoAnOciLayoutKeepsTheLayoutsManifest()
    {
        // docker 25 and later: manifest.json names blobs of an OCI layout in the same tar.
        using var store = new ArchiveTestStore();
        var image = ArchiveImages.Image("both", [ArchiveImages.Layer(LayerCompressionKind.Gzip, ("/both", "both\n"))]);
        var layout = new OciLayoutBuilder();
        layout.Name(layout.Image(image), "io.containerd.image.name=docker.io/library/both:oci", "org.opencontainers.image.ref.name=oci");
        var manifestJson = $$"""[{"Config":"blobs/sha256/{{image.ConfigDigest.Hex}}","RepoTags":["both:docker"],"Layers":["blobs/sha256/{{image.Layers[0].Digest.Hex}}"]}]""";

        var loaded = await store.LoadAsync(layout.Build().File("manifest.json", manifestJson).ToArray());

        Assert.Equal(["docker.io/library/both:oci", "docker.io/library/both:docker"], loaded);
        var view = Assert.Single(store.Images.List());
        Assert.Equal(image.Digest, view.Details.ManifestDigest);
        Assert.All(view.Records, r => Assert.Equal(image.Digest, r.TargetDigest));
    }

    [Fact]
    public async Task FailedUnpackLeavesNoImageAndNothingTheNextCollectionKeeps()
    {
        using var store = new ArchiveTestStore();
        var layer = ArchiveImages.Layer(LayerCompressionKind.None, ("/real", "real\n"));
        var claimed = ArchiveImages.Image("claimed", [ArchiveImages.Layer(LayerCompressionKind.None, ("/claimed", "claimed\n"))]);
        var archive = new TarBuilder()
            .File("layer/layer.tar", layer.UncompressedTar)
            .File("config.json", claimed.ConfigBytes)
            .File("manifest.json", """[{"Config":"config.json","RepoTags":["liar:1"],"Layers":["layer/layer.tar"]}]""");

        var error = await Assert.ThrowsAnyAsync<CaissonException>(() => store.LoadAsync(archive.ToArray()));

        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Contains($"its uncompressed digest is {layer.DiffId}, but the image config says {claimed.DiffIds[0]}", error.Message, StringComparison.Ordinal);
        await MaliciousArchiveTests.AssertUntouchedAsync(store);
    }
}
