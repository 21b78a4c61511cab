using System.Text.Json;
using Caisson.Core.Digests;
using Caisson.Core.Oci;

namespace Caisson.Tests.Images.Archive;

/// <summary>An OCI image layout built in memory, written as a tar or a directory.</summary>
internal sealed class OciLayoutBuilder
{
    private readonly SortedDictionary<string, byte[]> _blobs = new(StringComparer.Ordinal);
    private readonly List<Descriptor> _index = [];

    public Descriptor Blob(string mediaType, byte[] content, Platform? platform = null)
    {
        var descriptor = TestImage.Describe(mediaType, content, platform);
        _blobs[descriptor.Digest] = content;
        return descriptor;
    }

    /// <summary>Adds an image's layers, config and manifest; returns the manifest's descriptor.</summary>
    public Descriptor Image(TestImage image, bool gzip = true, bool withLayers = true)
    {
        if (withLayers)
        {
            foreach (var layer in image.Layers)
                Blob(gzip ? MediaTypes.OciLayerGzip : MediaTypes.OciLayer, gzip ? layer.Gzip : layer.Tar);
        }

        Blob(MediaTypes.OciConfig, image.ConfigJson);
        return Blob(MediaTypes.OciManifest, image.OciManifestJson(gzip), new Platform { OS = "linux", Architecture = image.Architecture });
    }

    public Descriptor Index(params Descriptor[] manifests)
    {
        var index = new ImageIndex { SchemaVersion = 2, MediaType = MediaTypes.OciIndex, Manifests = manifests };
        return Blob(MediaTypes.OciIndex, JsonSerializer.SerializeToUtf8Bytes(index, OciJsonContext.Default.ImageIndex));
    }

    /// <summary>Lists <paramref name="target"/> in index.json with the given name annotations ("key=value").</summary>
    public OciLayoutBuilder Name(Descriptor target, params string[] annotations)
    {
        _index.Add(target with
        {
            Platform = null,
            Annotations = annotations.Length == 0 ? null : annotations.Select(a => a.Split('=', 2)).ToDictionary(a => a[0], a => a[1]),
        });
        return this;
    }

    public byte[] IndexJson() => JsonSerializer.SerializeToUtf8Bytes(
        new ImageIndex { SchemaVersion = 2, MediaType = MediaTypes.OciIndex, Manifests = _index }, OciJsonContext.Default.ImageIndex);

    public TarBuilder Build()
    {
        var tar = new TarBuilder().File("oci-layout", """{"imageLayoutVersion":"1.0.0"}""").Directory("blobs/").Directory("blobs/sha256/");
        foreach (var (digest, content) in _blobs)
            tar.File($"blobs/sha256/{Digest.Parse(digest).Hex}", content);
        return tar.File("index.json", IndexJson());
    }

    public void WriteTo(string directory)
    {
        System.IO.Directory.CreateDirectory(Path.Combine(directory, "blobs", "sha256"));
        File.WriteAllText(Path.Combine(directory, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
        foreach (var (digest, content) in _blobs)
            File.WriteAllBytes(Path.Combine(directory, "blobs", "sha256", Digest.Parse(digest).Hex), content);
        File.WriteAllBytes(Path.Combine(directory, "index.json"), IndexJson());
    }
}
