using Caisson.Core.Digests;
using Caisson.Core.Errors;
using Caisson.Core.Oci;
using Caisson.Testing.Images;

namespace Caisson.Tests.Images.Archive;

/// <summary>Loading OCI image layouts, as tars and as directories: manifests and digests kept as they are.</summary>
public sealed class LoadOciLayoutTests
{
    private static readonly BuiltLayer Base = ArchiveImages.Layer(LayerCompressionKind.Gzip, ("/etc/os-release", "ID=caisson-test\n"));

    [Theory]
    [InlineData("containerd's name annotation wins over ref.name", "io.containerd.image.name=docker.io/library/app:1;org.opencontainers.image.ref.name=1", "docker.io/library/app:1")]
    [InlineData("a full reference in ref.name", "org.opencontainers.image.ref.name=quay.io/team/app:2", "quay.io/team/app:2")]
    [InlineData("a short name with tag in ref.name", "org.opencontainers.image.ref.name=app:3", "docker.io/library/app:3")]
    [InlineData("a tag alone in ref.name names nothing", "org.opencontainers.image.ref.name=latest", null)]
    [InlineData("no annotations", "", null)]
    public async Task NamesImagesFromIndexAnnotations(string description, string annotations, string? expectedName)
    {
        using var store = new ArchiveTestStore();
        var image = ArchiveImages.Image("named", [Base, ArchiveImages.Layer(LayerCompressionKind.Gzip, ("/app/run", "run\n"))]);
        var layout = new OciLayoutBuilder();
        layout.Name(layout.Image(image), annotations.Split(';', StringSplitOptions.RemoveEmptyEntries));

        var loaded = await store.LoadAsync(layout.Build().ToArray());

        var view = store.Images.Get(image.ConfigDigest.ToString());
        var record = Assert.Single(view.Records);
        Assert.Equal(expectedName ?? $"docker.io/library/import-2025-03-14@{image.Digest}", record.Name);
        Assert.Equal([expectedName ?? image.ConfigDigest.ToString()], loaded);
        Assert.Equal(image.Digest, view.Details.ManifestDigest);
        Assert.Equal(image.Digest, record.TargetDigest);
        Assert.Equal(image.Layers.Select(l => l.Descriptor), view.Details.Manifest.Layers);
        Assert.True(store.Images.Snapshotter.IsCommitted(image.ChainIds[^1]));
        Assert.False(string.IsNullOrEmpty(description));
    }

    [Fact]
    public async Task MultiPlatformIndexLoadsThisPlatformAndKeepsWhatTheLayoutHasOfOthers()
    {
        using var store = new ArchiveTestStore();
        var here = ArchiveImages.Image("here", [Base]);
        var there = ArchiveImages.Image("there", [ArchiveImages.Layer(LayerCompressionKind.Gzip, ("/there", "there\n"))], architecture: ArchiveImages.OtherArchitecture);
        var layout = new OciLayoutBuilder();
        // The other platform's layers are not in the layout, as when a multi-platform image is saved from a store
        // that pulled only one platform.
        var index = layout.Index(layout.Image(there, withLayers: false), layout.Image(here));
        layout.Name(index, "io.containerd.image.name=docker.io/library/multi:1");

        Assert.Equal(["docker.io/library/multi:1"], await store.LoadAsync(layout.Build().ToArray()));

        var view = store.Images.Get("multi:1");
        var record = Assert.Single(view.Records);
        Assert.Equal(Digest.Parse(index.Digest), record.TargetDigest);
        Assert.Equal(MediaTypes.OciIndex, record.TargetMediaType);
        Assert.Equal(here.Digest, record.ManifestDigest);
        Assert.Equal(here.ConfigDigest, view.Id);

        await store.Images.CollectGarbageAsync(CancellationToken.None);
        var stored = store.Images.Content.List().Select(b => b.Digest).ToHashSet();
        Assert.Contains(there.Digest, stored);
        Assert.Contains(there.ConfigDigest, stored);
        Assert.DoesNotContain(there.Layers[0].Digest, stored);
        Assert.True(store.Images.Snapshotter.IsCommitted(here.ChainIds[^1]));
        Assert.False(store.Images.Snapshotter.IsCommitted(there.ChainIds[^1]));
    }

    [Fact]
    public async Task LoadsSeveralImagesOneOfThemUnderTwoNames()
    {
        using var store = new ArchiveTestStore();
        var app = ArchiveImages.Image("app", [Base, ArchiveImages.Layer(LayerCompressionKind.Zstd, ("/app", "app\n"))]);
        var tool = ArchiveImages.Image("tool", [Base, ArchiveImages.Layer(LayerCompressionKind.None, ("/tool", "tool\n"))], ImageFormat.Docker);
        var layout = new OciLayoutBuilder();
        var appManifest = layout.Image(app);
        layout.Name(appManifest, "io.containerd.image.name=docker.io/library/app:1")
            .Name(appManifest, "io.containerd.image.name=registry.example.com/app:stable")
            .Name(layout.Image(tool), "org.opencontainers.image.ref.name=localhost:5000/tool:9");

        var loaded = await store.LoadAsync(layout.Build().ToArray());

        Assert.Equal(["docker.io/library/app:1", "registry.example.com/app:stable", "localhost:5000/tool:9"], loaded);
        Assert.Equal(2, store.Images.List().Count);
        Assert.Equal(["docker.io/library/app:1", "registry.example.com/app:stable"], store.Images.Get("app:1").RepoTags);
        Assert.Equal(MediaTypes.DockerManifest, store.Images.Get("localhost:5000/tool:9").Details.ManifestMediaType);
        Assert.True(store.Images.Snapshotter.IsCommitted(app.ChainIds[^1]));
        Assert.True(store.Images.Snapshotter.IsCommitted(tool.ChainIds[^1]));
    }

    [Fact]
    public async Task LoadsALayoutDirectory()
    {
        using var store = new ArchiveTestStore();
        var image = TestImages.MultiLayer();
        var directory = Path.Combine(store.Directory, "layout");
        OciLayoutWriter.Write(directory, image, refName: "example.com/multi:dir");

        var loaded = await store.Images.LoadDirectoryAsync(directory, CancellationToken.None);

        Assert.Equal(["example.com/multi:dir"], loaded);
        var view = store.Images.Get("example.com/multi:dir");
        Assert.Equal(image.Digest, view.Details.ManifestDigest);
        Assert.True(store.Images.Snapshotter.IsCommitted(image.ChainIds[^1]));
        Assert.True(File.Exists(Path.Combine(directory, "index.json")), "the layout directory is left as it was");
    }

    [Theory]
    [InlineData("a blob that is a symbolic link", "is a symbolic link")]
    [InlineData("blobs/ that is a symbolic link", "is a symbolic link")]
    [InlineData("a blob whose content is not its digest", "content digest mismatch")]
    public async Task RefusesALayoutDirectoryThatLies(string description, string message)
    {
        using var store = new ArchiveTestStore();
        var image = ArchiveImages.Image("dir", [Base]);
        var directory = Path.Combine(store.Directory, "layout");
        OciLayoutWriter.Write(directory, image, refName: "example.com/dir:1");
        var blobs = Path.Combine(directory, "blobs", "sha256");
        var layer = Path.Combine(blobs, image.Layers[0].Digest.Hex);
        switch (description)
        {
            case "a blob that is a symbolic link":
                File.Move(layer, layer + ".real");
                File.CreateSymbolicLink(layer, layer + ".real");
                break;
            case "blobs/ that is a symbolic link":
                Directory.Move(Path.Combine(directory, "blobs"), Path.Combine(store.Directory, "elsewhere"));
                Directory.CreateSymbolicLink(Path.Combine(directory, "blobs"), Path.Combine(store.Directory, "elsewhere"));
                break;
            default:
                var bytes = File.ReadAllBytes(layer);
                bytes[^1] ^= 0xff;
                File.WriteAllBytes(layer, bytes);
                break;
        }

        var error = await Assert.ThrowsAnyAsync<CaissonException>(() => store.Images.LoadDirectoryAsync(directory, CancellationToken.None));

        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"loading image layout {directory}: ", error.Message, StringComparison.Ordinal);
        Assert.Empty(store.Images.List());
    }

    [Fact]
    public async Task MissingLayoutDirectoryIsNotFound()
    {
        using var store = new ArchiveTestStore();

        var error = await Assert.ThrowsAnyAsync<CaissonException>(() => store.Images.LoadDirectoryAsync("/nonexistent/layout", CancellationToken.None));

        Assert.Equal(ErrorKind.NotFound, error.Kind);
        Assert.Contains("/nonexistent/layout does not exist", error.Message, StringComparison.Ordinal);
    }
}
