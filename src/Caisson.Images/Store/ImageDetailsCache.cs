using System.Collections.Concurrent;
using System.Text.Json;
using Caisson.Core.Digests;
using Caisson.Core.Errors;
using Caisson.Core.Oci;
using Caisson.Images.Content;

namespace Caisson.Images.Store;

/// <summary>Parses manifests and configs from the content store once; List and Status are then served from memory.</summary>
internal sealed class ImageDetailsCache(ContentStore content)
{
    private readonly ConcurrentDictionary<Digest, ImageDetails> _cache = new();

    public ImageDetails Get(Digest manifestDigest) => _cache.GetOrAdd(manifestDigest, Load);

    public void Forget(Digest manifestDigest) => _cache.TryRemove(manifestDigest, out _);

    private ImageDetails Load(Digest manifestDigest)
    {
        var manifestJson = ReadBlob(manifestDigest, "manifest");
        var document = ManifestDocument.Parse(manifestJson, null);
        var manifest = document.Manifest ?? throw new FailedPreconditionException($"{manifestDigest} is an index, not an image manifest");
        var configDigest = Digest.Parse(manifest.Config.Digest);
        var configJson = ReadBlob(configDigest, "config");
        var config = ParseConfig(configJson, configDigest);
        var diffIds = config.RootFs.DiffIds.Select(Digest.Parse).ToArray();
        return new ImageDetails(manifestDigest, document.MediaType, manifest, manifestJson, config, configJson, diffIds, ChainId.Compute(diffIds));
    }

    private byte[] ReadBlob(Digest digest, string what)
    {
        try
        {
            return File.ReadAllBytes(content.BlobPath(digest));
        }
        catch (FileNotFoundException e)
        {
            throw new NotFoundException($"image {what} {digest} is missing from the content store", e);
        }
    }

    public static ImageConfig ParseConfig(ReadOnlySpan<byte> json, Digest digest)
    {
        if (json.Length > ManifestDocument.MaxSize)
            throw new InvalidArgumentException($"image config {digest} is {json.Length} bytes, over the {ManifestDocument.MaxSize}-byte limit");
        try
        {
            var config = JsonSerializer.Deserialize(json, OciJsonContext.Default.ImageConfig)
                ?? throw new InvalidArgumentException($"image config {digest} is JSON null");
            if (config.RootFs.Type != "layers")
                throw new InvalidArgumentException($"image config {digest} has rootfs type \"{config.RootFs.Type}\", want \"layers\"");
            foreach (var diffId in config.RootFs.DiffIds)
            {
                if (!Digest.TryParse(diffId, out _, out var why))
                    throw new InvalidArgumentException($"image config {digest} has an invalid diff id \"{diffId}\": {why}");
            }

            return config;
        }
        catch (JsonException e)
        {
            throw new InvalidArgumentException($"image config {digest} is malformed: {e.Message}", e);
        }
    }
}
