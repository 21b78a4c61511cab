using System.Text;
using System.Text.Json;
using Caisson.Core.Digests;
using Caisson.Core.Oci;
using Caisson.Testing.Images;
using Caisson.Testing.Processes;

namespace Caisson.Tests.Testing;

public sealed class ArchiveWriterTests : IDisposable
{
    private readonly DirectoryInfo scratch = Directory.CreateTempSubdirectory("caisson-archive-");

    public void Dispose() => scratch.Delete(recursive: true);

    private static BuiltIndex TwoPlatformIndex(ImageFormat format) => new IndexBuilder()
        .WithMediaTypes(format)
        .Add(ImageBuilderTests.SmallImage(format, LayerCompressionKind.Gzip, "amd64", null))
        .Add(ImageBuilderTests.SmallImage(format, LayerCompressionKind.Zstd, "arm64", "v8"))
        .Build();

    [Fact]
    public void Oci_layout_directory_holds_every_reachable_blob_under_its_digest()
    {
        var index = TwoPlatformIndex(ImageFormat.Oci);
        var busybox = TestImages.Busybox(ImageFormat.Docker);
        OciLayoutWriter.Write(scratch.FullName, [(index, "multi:v1"), (busybox, null)]);

        var files = Directory.EnumerateFiles(scratch.FullName, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(scratch.FullName, f), File.ReadAllBytes);
        var top = VerifyOciLayout(files);

        Assert.Equal([index.Digest.ToString(), busybox.Digest.ToString()], top.Select(d => d.Digest));
        Assert.Equal("multi:v1", top[0].Annotations![OciLayoutWriter.RefNameAnnotation]);
        Assert.Null(top[1].Annotations);
    }

    [Fact]
    public void Oci_layout_tar_holds_the_same_files_and_directories()
    {
        var index = TwoPlatformIndex(ImageFormat.Docker);
        using var tar = new MemoryStream();
        OciLayoutWriter.WriteTar(tar, index, "latest");

        var entries = TarContents.ReadEntries(tar.ToArray());
        Assert.Equal(["blobs/", "blobs/sha256/"], entries.Where(e => e.EntryType == System.Formats.Tar.TarEntryType.Directory).Select(e => e.Name));
        var top = VerifyOciLayout(entries.Where(e => e.DataStream is not null).ToDictionary(e => e.Name, TarContents.ReadContent));
        Assert.Equal(MediaTypes.DockerManifestList, Assert.Single(top).MediaType);
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task Gnu_tar_extracts_an_oci_layout_tar()
    {
        var path = Path.Join(scratch.FullName, "layout.tar");
        using (var file = File.Create(path))
            OciLayoutWriter.WriteTar(file, TestImages.MultiLayer(), "multi");
        var extracted = Directory.CreateDirectory(Path.Join(scratch.FullName, "out")).FullName;

        await ProcessRunner.RunCheckedAsync("tar", ["-xf", path, "-C", extracted]);

        var files = Directory.EnumerateFiles(extracted, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(extracted, f), File.ReadAllBytes);
        Assert.Equal(TestImages.MultiLayer().Digest.ToString(), Assert.Single(VerifyOciLayout(files)).Digest);
    }

    [Fact]
    public void Docker_archive_matches_the_docker_save_format()
    {
        var busybox = TestImages.Busybox(ImageFormat.Docker, LayerCompressionKind.Gzip);
        var multi = TestImages.MultiLayer(ImageFormat.Oci, LayerCompressionKind.Zstd);
        using var tar = new MemoryStream();
        DockerArchiveWriter.Write(tar, [(busybox, ["127.0.0.1:5000/busybox:1", "busybox"]), (multi, ["multi:v1"])]);

        var files = TarContents.ReadEntries(tar.ToArray()).Where(e => e.DataStream is not null).ToDictionary(e => e.Name, TarContents.ReadContent);
        using var manifest = JsonDocument.Parse(files["manifest.json"]);
        var images = manifest.RootElement.EnumerateArray().ToArray();
        Assert.Equal(2, images.Length);
        foreach (var (entry, image) in images.Zip([busybox, multi]))
        {
            var configFile = entry.GetProperty("Config").GetString()!;
            Assert.Equal(image.ConfigDigest.Hex + ".json", configFile);
            Assert.Equal(image.ConfigBytes, files[configFile]);
            var layers = entry.GetProperty("Layers").EnumerateArray().Select(l => l.GetString()!).ToArray();
            Assert.Equal(image.Config.RootFs.DiffIds, layers.Select(l => Digest.Sha256Of(files[l]).ToString()));
            Assert.All(layers, l => Assert.Matches("^[0-9a-f]{64}/layer.tar$", l));
            Assert.All(layers, l => Assert.Equal("1.0", Encoding.ASCII.GetString(files[l.Replace("layer.tar", "VERSION", StringComparison.Ordinal)])));
        }

        Assert.Equal(["127.0.0.1:5000/busybox:1", "busybox"], images[0].GetProperty("RepoTags").EnumerateArray().Select(t => t.GetString()));
        using var repositories = JsonDocument.Parse(files["repositories"]);
        var busyboxTop = images[0].GetProperty("Layers").EnumerateArray().Last().GetString()![..64];
        Assert.Equal(busyboxTop, repositories.RootElement.GetProperty("127.0.0.1:5000/busybox").GetProperty("1").GetString());
        Assert.Equal(busyboxTop, repositories.RootElement.GetProperty("busybox").GetProperty("latest").GetString());
        Assert.True(repositories.RootElement.GetProperty("multi").TryGetProperty("v1", out _));
    }

    /// <summary>Checks oci-layout and index.json, then walks every descriptor down to the layers; returns index.json's entries.</summary>
    private static IReadOnlyList<Descriptor> VerifyOciLayout(Dictionary<string, byte[]> files)
    {
        using (var layout = JsonDocument.Parse(files["oci-layout"]))
            Assert.Equal("1.0.0", layout.RootElement.GetProperty("imageLayoutVersion").GetString());
        var top = ManifestDocument.Parse(files["index.json"], MediaTypes.OciIndex).Index!.Manifests;

        var reached = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<Descriptor>(top);
        while (pending.TryDequeue(out var descriptor))
        {
            var digest = Digest.Parse(descriptor.Digest);
            var path = $"blobs/sha256/{digest.Hex}";
            Assert.True(files.TryGetValue(path, out var blob), $"{path} missing");
            Assert.Equal(digest, Digest.Sha256Of(blob));
            Assert.Equal(descriptor.Size, blob.Length);
            reached.Add(path);
            if (MediaTypes.IsIndex(descriptor.MediaType) || MediaTypes.IsManifest(descriptor.MediaType))
            {
                var document = ManifestDocument.Parse(blob, descriptor.MediaType);
                foreach (var child in document.Index?.Manifests ?? [document.Manifest!.Config, .. document.Manifest.Layers])
                    pending.Enqueue(child);
            }
        }

        Assert.Equal(reached.Order(StringComparer.Ordinal), files.Keys.Where(k => k.StartsWith("blobs/", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        return top;
    }
}
