using System.Text.Json;
using Caisson.Core.Digests;
using Caisson.Core.Oci;
using Caisson.Testing.Images;

namespace Caisson.Tests.Images.Archive;

/// <summary>An OCI image layout built in memory, written as a tar or a directory.</summary>
internal sealed class OciLayoutBuilder
{
    private readonly SortedDictionary<string, byte[]> _blobs = new(StringComparer.Ordinal);
    private readonly List<Descriptor> _index = [];

    public Descriptor Blob(string mediaType, byte[] content)
    {
        var descriptor = new Descriptor { MediaType = mediaType, Digest = Digest.Sha256Of(content).ToString(), Size = content.Length };
        _blobs[descriptor.Digest] = content;
        return descriptor;
    }

    /// <summary>Adds an image's blobs (layers only when <paramref name="withLayers"/>); returns its manifest's descriptor.</summary>
    public Descriptor Image(BuiltImage image, bool withLayers = true)
    {
        foreach (var (digest, content) in image.Blobs)
        {
            if (withLayers || digest == image.ConfigDigest)
                _blobs[digest.ToString()] = content;
        }

        _blobs[image.Descriptor.Digest] = image.ManifestBytes;
        return image.Descriptor with { Platform = image.Platform };
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
