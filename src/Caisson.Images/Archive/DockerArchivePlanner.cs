using Caisson.Core.Digests;
using Caisson.Core.Errors;
using Caisson.Core.Oci;
using Caisson.Images.Store;

namespace Caisson.Images.Archive;

/// <summary>
/// Plans the images of a docker save archive's manifest.json. The archive has configs and layer files but no
/// manifests, so one is built per image: Docker schema 2 with each layer stored as it came (uncompressed tar,
/// gzip), or OCI when a layer is zstd, which schema 2 cannot describe. The built manifest is deterministic, so
/// loading the same archive twice gives the same image. When the archive is also an OCI layout (docker 25 and
/// later, and our own save) and that layout already has this image, its manifest is kept and RepoTags only add
/// names to it.
/// </summary>
internal sealed class DockerArchivePlanner(IArchiveSource source, ImportPlan plan)
{
    public async Task PlanAsync(CancellationToken cancellationToken)
    {
        var entries = await ArchiveDocuments.ReadJsonAsync(source, ArchiveDocuments.DockerManifest,
            ArchiveJsonContext.Default.ListDockerArchiveEntry, cancellationToken).ConfigureAwait(false);
        if (entries.Count == 0)
            throw new InvalidArgumentException($"{ArchiveDocuments.DockerManifest} in {source.Description} lists no images");

        for (var i = 0; i < entries.Count; i++)
        {
            var where = $"{ArchiveDocuments.DockerManifest} entry {i}";
            var entry = entries[i] ?? throw new InvalidArgumentException($"{where} is null");
            await PlanEntryAsync(entry, where, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task PlanEntryAsync(DockerArchiveEntry entry, string where, CancellationToken cancellationToken)
    {
        var configName = RequireFile(entry.Config, where, "Config");
        var configJson = await ArchiveDocuments.ReadAsync(source, configName, cancellationToken).ConfigureAwait(false);
        var configDigest = Digest.Sha256Of(configJson);
        var config = ImageDetailsCache.ParseConfig(configJson, configDigest);

        var layerNames = entry.Layers ?? [];
        if (layerNames.Count > ArchiveLimits.MaxLayers)
            throw new InvalidArgumentException($"{where} has {layerNames.Count} layers, over the limit of {ArchiveLimits.MaxLayers}");
        if (config.RootFs.DiffIds.Count != layerNames.Count)
        {
            throw new InvalidArgumentException(
                $"{where} has {layerNames.Count} layers but its config {configName} lists {config.RootFs.DiffIds.Count} diff ids");
        }

        var layers = new List<(string Name, Digest Digest, long Size, LayerCompression Compression)>(layerNames.Count);
        foreach (var layerName in layerNames)
        {
            var name = RequireFile(layerName, where, "Layers");
            var digest = await source.DigestOfAsync(name, cancellationToken).ConfigureAwait(false);
            layers.Add((name, digest, source.SizeOf(name), await SniffCompressionAsync(name, cancellationToken).ConfigureAwait(false)));
        }

        var names = (entry.RepoTags ?? []).Select(tag => ImageNames.FromRepoTag(tag, where)).ToList();
        var image = plan.FindEquivalent(configDigest, layers.Select(l => l.Digest).ToList());
        if (image is null)
        {
            var oci = layers.Any(l => l.Compression == LayerCompression.Zstd);
            var manifest = new ImageManifest
            {
                SchemaVersion = 2,
                MediaType = oci ? MediaTypes.OciManifest : MediaTypes.DockerManifest,
                Config = new Descriptor { MediaType = oci ? MediaTypes.OciConfig : MediaTypes.DockerConfig, Digest = configDigest.ToString(), Size = configJson.Length },
                Layers = layers.Select(l => new Descriptor { MediaType = LayerMediaType(l.Compression, oci), Digest = l.Digest.ToString(), Size = l.Size }).ToList(),
            };
            var manifestJson = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(manifest, OciJsonContext.Default.ImageManifest);
            var manifestDigest = Digest.Sha256Of(manifestJson);
            var target = new Descriptor { MediaType = manifest.MediaType, Digest = manifestDigest.ToString(), Size = manifestJson.Length };

            plan.AddBlob(new PlannedBlob(manifestDigest, manifestJson.Length, manifest.MediaType, null, manifestJson));
            plan.AddBlob(new PlannedBlob(configDigest, configJson.Length, manifest.Config.MediaType, configName, null));
            for (var i = 0; i < layers.Count; i++)
                plan.AddBlob(new PlannedBlob(layers[i].Digest, layers[i].Size, manifest.Layers[i].MediaType, layers[i].Name, null));
            image = plan.AddImage(new PlannedImage(target, manifestDigest, manifest, configDigest, config));
        }

        foreach (var name in names)
            image.AddName(name);
    }

    private string RequireFile(string? name, string where, string field)
    {
        if (string.IsNullOrEmpty(name))
            throw new InvalidArgumentException($"{where} has no {field}");
        var normalized = ArchivePath.Normalize(name, $"{field} path in {where}");
        if (!source.Contains(normalized))
            throw new InvalidArgumentException($"{where} names {field} file \"{name}\", which is not in {source.Description}");
        return normalized;
    }

    /// <summary>docker save writes layers as they are stored, so the bytes, not a media type, say how they are compressed.</summary>
    private async Task<LayerCompression> SniffCompressionAsync(string name, CancellationToken cancellationToken)
    {
        var head = new byte[6];
        var stream = source.OpenRead(name);
        int length;
        await using (stream.ConfigureAwait(false))
            length = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        var magic = head.AsSpan(0, length);
        if (magic.StartsWith((byte[])[0x1f, 0x8b]))
            return LayerCompression.Gzip;
        if (magic.StartsWith((byte[])[0x28, 0xb5, 0x2f, 0xfd]))
            return LayerCompression.Zstd;
        if (magic.StartsWith((byte[])[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]) || magic.StartsWith("BZh"u8))
            throw new InvalidArgumentException($"layer {name} in {source.Description} is xz or bzip2 compressed; only plain tar, gzip and zstd layers are supported");
        return LayerCompression.None;
    }

    private static string LayerMediaType(LayerCompression compression, bool oci) => (compression, oci) switch
    {
        (LayerCompression.Gzip, false) => MediaTypes.DockerLayerGzip,
        (LayerCompression.None, false) => MediaTypes.DockerLayer,
        (LayerCompression.Gzip, true) => MediaTypes.OciLayerGzip,
        (LayerCompression.Zstd, _) => MediaTypes.OciLayerZstd,
        _ => MediaTypes.OciLayer,
    };
}
