using Caisson.Core.Digests;
using Caisson.Core.Errors;
using Caisson.Core.Oci;
using Caisson.Testing.Images;

namespace Caisson.Tests.Images.Archive;

/// <summary>
/// caisson save writes one tar that is a docker save archive and an OCI image layout at once. These tests seed the
/// store directly (no unpacking is involved in saving) and read the tar back both ways.
/// </summary>
public sealed class SaveTests
{
    internal static readonly BuiltLayer Shared = ArchiveImages.Layer(LayerCompressionKind.Gzip, ("/etc/os-release", "ID=caisson-test\n"));
    internal static readonly BuiltImage App = ArchiveImages.Image("app", [Shared, ArchiveImages.Layer(LayerCompressionKind.Gzip, ("/app/run", "#!/bin/sh\necho app\n"))]);
    internal static readonly BuiltImage Tool = ArchiveImages.Image("tool", [Shared, ArchiveImages.Layer(LayerCompressionKind.Zstd, ("/usr/bin/tool", "tool\n"))], ImageFormat.Docker);

    [Fact]
    public async Task WritesOneTarThatIsBothDockerSaveAndOciLayout()
    {
        using var store = new ArchiveTestStore();
        await store.SeedAsync(App, "app:1");
        await store.SeedAsync(App, "localhost:5000/team/app:2");
        await store.SeedAsync(Tool, "tool:latest");

        var archive = SavedArchive.Read(await SaveAsync(store, "app:1", "localhost:5000/team/app:2", Tool.ConfigDigest.ToString()));

        Assert.Equal("""{"imageLayoutVersion":"1.0.0"}""", System.Text.Encoding.UTF8.GetString(archive.Files["oci-layout"]));
        Assert.Equal(["blobs/", "blobs/sha256/"], archive.Directories);

        // OCI view: one index entry per name, the unnamed image once without annotations, all pointing at stored manifests.
        var index = archive.Index();
        Assert.Equal(MediaTypes.OciIndex, index.MediaType);
        Assert.Collection(index.Manifests,
            e => AssertEntry(e, App, "docker.io/library/app:1", "1"),
            e => AssertEntry(e, App, "localhost:5000/team/app:2", "2"),
            e =>
            {
                Assert.Equal(Tool.Descriptor.Digest, e.Digest);
                Assert.Equal(MediaTypes.DockerManifest, e.MediaType);
                Assert.Null(e.Annotations);
            });

        // Docker view: one entry per image, familiar RepoTags, config and layers as paths into blobs/.
        var manifest = archive.Json("manifest.json");
        Assert.Equal(2, manifest.GetArrayLength());
        var app = manifest[0];
        Assert.Equal($"blobs/sha256/{App.ConfigDigest.Hex}", app.GetProperty("Config").GetString());
        Assert.Equal(["app:1", "localhost:5000/team/app:2"], app.GetProperty("RepoTags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(App.Layers.Select(l => $"blobs/sha256/{l.Digest.Hex}"), app.GetProperty("Layers").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, manifest[1].GetProperty("RepoTags").ValueKind);
        foreach (var path in manifest.EnumerateArray().SelectMany(e => e.GetProperty("Layers").EnumerateArray().Append(e.GetProperty("Config"))))
            Assert.True(archive.Files.ContainsKey(path.GetString()!), $"manifest.json names {path} but the archive lacks it");

        var repositories = archive.Json("repositories");
        Assert.Equal(App.Layers[^1].Digest.Hex, repositories.GetProperty("app").GetProperty("1").GetString());
        Assert.Equal(App.Layers[^1].Digest.Hex, repositories.GetProperty("localhost:5000/team/app").GetProperty("2").GetString());

        // Blobs: each once, byte for byte as stored (layers keep their compression); the shared layer is not repeated.
        var expected = new[] { App, Tool }
            .SelectMany(i => i.Blobs.Append(new(i.Digest, i.ManifestBytes)))
            .DistinctBy(b => b.Key)
            .ToDictionary(b => b.Key, b => b.Value);
        var blobs = archive.Blobs();
        Assert.Equal(expected.Keys.Order(), blobs.Keys.Order());
        Assert.Equal(7, blobs.Count); // 2 manifests, 2 configs, 3 layers
        foreach (var (digest, content) in expected)
            Assert.Equal(content, blobs[digest]);
    }

    [Fact]
    public async Task SavingTheSameImagesTwiceGivesTheSameBytes()
    {
        using var store = new ArchiveTestStore();
        await store.SeedAsync(App, "app:1");

        Assert.Equal(await SaveAsync(store, "app:1"), await SaveAsync(store, "app:1"));
    }

    [Fact]
    public async Task ByIdOrDigestSavesWithoutNamesAndByNameWithThatName()
    {
        using var store = new ArchiveTestStore();
        await store.SeedAsync(App, "app:1");
        await store.SeedAsync(App, "app:2");

        var byName = SavedArchive.Read(await SaveAsync(store, "app:2"));
        var byId = SavedArchive.Read(await SaveAsync(store, App.ConfigDigest.ToString()));
        var byDigest = SavedArchive.Read(await SaveAsync(store, $"app@{App.Digest}"));

        Assert.Equal(["app:2"], byName.Json("manifest.json")[0].GetProperty("RepoTags").EnumerateArray().Select(t => t.GetString()));
        Assert.Null(Assert.Single(byId.Index().Manifests).Annotations);
        Assert.Null(Assert.Single(byDigest.Index().Manifests).Annotations);
    }

    [Theory]
    [InlineData("unknown name", "nothing:here", ErrorKind.NotFound, "image \"nothing:here\" not found")]
    [InlineData("no references", null, ErrorKind.InvalidArgument, "no image references given")]
    public async Task RefusesBeforeWritingAnything(string description, string? reference, ErrorKind kind, string message)
    {
        using var store = new ArchiveTestStore();
        await store.SeedAsync(App, "app:1");
        using var output = new MemoryStream();

        var error = await Assert.ThrowsAnyAsync<CaissonException>(() =>
            store.Images.SaveAsync(reference is null ? [] : ["app:1", reference], output, CancellationToken.None));

        Assert.Equal(kind, error.Kind);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(0, output.Length);
        Assert.False(string.IsNullOrEmpty(description));
    }

    [Fact]
    public async Task MissingBlobIsReportedBeforeWritingAnything()
    {
        using var store = new ArchiveTestStore();
        await store.SeedAsync(App, "app:1");
        store.Images.Content.Delete(App.Layers[0].Digest);
        using var output = new MemoryStream();

        var error = await Assert.ThrowsAnyAsync<CaissonException>(() => store.Images.SaveAsync(["app:1"], output, CancellationToken.None));

        Assert.Equal(ErrorKind.NotFound, error.Kind);
        Assert.Contains($"blob {App.Layers[0].Digest} is not in the content store", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, output.Length);
    }

    internal static async Task<byte[]> SaveAsync(ArchiveTestStore store, params string[] references)
    {
        using var output = new MemoryStream();
        await store.Images.SaveAsync(references, output, CancellationToken.None);
        return output.ToArray();
    }

    private static void AssertEntry(Descriptor entry, BuiltImage image, string name, string tag)
    {
        Assert.Equal(image.Descriptor.Digest, entry.Digest);
        Assert.Equal(image.Descriptor.Size, entry.Size);
        Assert.Equal(image.Descriptor.MediaType, entry.MediaType);
        Assert.Equal(name, entry.Annotations!["io.containerd.image.name"]);
        Assert.Equal(tag, entry.Annotations["org.opencontainers.image.ref.name"]);
    }
}
