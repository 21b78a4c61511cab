using System.Text;
using System.Text.Json;
using Caisson.Core.Digests;
using Caisson.Testing.Images;

namespace Caisson.Tests.Images.Archive;

/// <summary>
/// A docker save archive in the layout docker wrote before version 25: <c>&lt;id&gt;/layer.tar</c> per layer,
/// <c>&lt;config hex&gt;.json</c>, manifest.json and repositories. A layer shared between images is written once
/// and linked from the second (docker writes a relative symbolic link).
/// </summary>
internal sealed class DockerSaveBuilder
{
    private readonly List<(BuiltImage Image, string[] Tags)> _images = [];

    /// <summary>How layer.tar files are stored: docker writes them uncompressed, other tools may not.</summary>
    public LayerCompressionKind Compression { get; init; } = LayerCompressionKind.None;

    public DockerSaveBuilder Add(BuiltImage image, params string[] tags)
    {
        _images.Add((image, tags));
        return this;
    }

    public TarBuilder Build(Func<string, string>? editManifest = null)
    {
        var tar = new TarBuilder();
        var written = new Dictionary<Digest, string>();
        var entries = new List<string>();
        foreach (var (image, tags) in _images)
        {
            var layerPaths = new List<string>();
            for (var i = 0; i < image.Layers.Count; i++)
            {
                var layer = image.Layers[i];
                var id = Digest.Sha256Of(Encoding.UTF8.GetBytes($"{image.ConfigDigest} {i}")).Hex;
                tar.Directory(id + "/").File($"{id}/VERSION", "1.0").File($"{id}/json", $$"""{"id":"{{id}}"}""");
                if (written.TryGetValue(layer.DiffId, out var first))
                    tar.Symlink($"{id}/layer.tar", $"../{first}/layer.tar");
                else
                {
                    tar.File($"{id}/layer.tar", LayerCompressor.Compress(layer.UncompressedTar, Compression));
                    written[layer.DiffId] = id;
                }

                layerPaths.Add($"{id}/layer.tar");
            }

            tar.File($"{image.ConfigDigest.Hex}.json", image.ConfigBytes);
            var repoTags = tags.Length == 0 ? "null" : JsonSerializer.Serialize(tags);
            entries.Add($$"""{"Config":"{{image.ConfigDigest.Hex}}.json","RepoTags":{{repoTags}},"Layers":{{JsonSerializer.Serialize(layerPaths)}}}""");
        }

        var manifest = "[" + string.Join(",", entries) + "]";
        tar.File("manifest.json", editManifest?.Invoke(manifest) ?? manifest);
        tar.File("repositories", "{}");
        return tar;
    }
}
