using Caisson.Core.Digests;
using Caisson.Core.Errors;
using Caisson.Core.Oci;
using Caisson.Images.Content;
using Caisson.Images.Distribution;
using Caisson.Images.Store;
using Microsoft.Extensions.Logging;

namespace Caisson.Images.Archive;

/// <summary>
/// Plans the images of an OCI image layout: each index.json entry is an image (a manifest, or an index from
/// which this platform's manifest is taken). Other platforms' blobs are kept as far as the layout has them, so
/// the index stays as complete as it came.
/// </summary>
internal sealed class OciLayoutPlanner(IArchiveSource source, ContentStore content, Platform platform, ImportPlan plan, ILogger logger)
{
    public async Task PlanAsync(CancellationToken cancellationToken)
    {
        await CheckLayoutVersionAsync(cancellationToken).ConfigureAwait(false);
        var indexJson = await ArchiveDocuments.ReadAsync(source, ArchiveDocuments.OciIndex, cancellationToken).ConfigureAwait(false);
        var index = Parse(indexJson, MediaTypes.OciIndex, ArchiveDocuments.OciIndex).Index
            ?? throw new InvalidArgumentException($"{ArchiveDocuments.OciIndex} in {source.Description} is a manifest, not an image index");

        for (var i = 0; i < index.Manifests.Count; i++)
        {
            var entry = index.Manifests[i];
            var where = $"{ArchiveDocuments.OciIndex} entry {i} ({entry.Digest})";
            var name = ImageNames.FromAnnotations(entry.Annotations, where);
            PlannedImage? image;
            if (MediaTypes.IsIndex(entry.MediaType))
                image = await PlanIndexAsync(entry, where, cancellationToken).ConfigureAwait(false);
            else if (MediaTypes.IsManifest(entry.MediaType))
                image = await PlanManifestAsync(entry, entry, where, cancellationToken).ConfigureAwait(false);
            else
            {
                ArchiveLog.SkippedEntry(logger, where, entry.MediaType);
                continue;
            }

            plan.AddImage(image).AddName(name);
        }
    }

    private async Task CheckLayoutVersionAsync(CancellationToken cancellationToken)
    {
        if (!source.Contains(ArchiveDocuments.OciLayout))
        {
            throw new InvalidArgumentException(
                $"{source.Description} has {ArchiveDocuments.OciIndex} but no {ArchiveDocuments.OciLayout} file: not an OCI image layout");
        }

        var layout = await ArchiveDocuments.ReadJsonAsync(source, ArchiveDocuments.OciLayout, ArchiveJsonContext.Default.OciLayoutFile, cancellationToken)
            .ConfigureAwait(false);
        if (layout.ImageLayoutVersion is not { } version || !version.StartsWith("1.", StringComparison.Ordinal))
        {
            throw new InvalidArgumentException(
                $"{ArchiveDocuments.OciLayout} in {source.Description} has imageLayoutVersion \"{layout.ImageLayoutVersion}\"; want {OciLayoutFile.CurrentVersion}");
        }
    }

    private async Task<PlannedImage> PlanIndexAsync(Descriptor entry, string where, CancellationToken cancellationToken)
    {
        var json = await ReadDocumentAsync(entry, "image index", where, cancellationToken).ConfigureAwait(false);
        var index = Parse(json, entry.MediaType, $"image index {entry.Digest}").Index
            ?? throw new InvalidArgumentException($"{where}: {entry.Digest} is declared an index but is a manifest");
        AddArchiveBlob(entry, entry.MediaType);

        Descriptor chosen;
        try
        {
            chosen = PlatformSelector.Select(index, platform);
        }
        catch (NotFoundException e)
        {
            throw new NotFoundException($"{where}: image index {entry.Digest}: {e.Message}", e);
        }

        var image = await PlanManifestAsync(chosen, entry, $"{where}: manifest for {platform}", cancellationToken).ConfigureAwait(false);

        foreach (var other in index.Manifests.Where(m => !ReferenceEquals(m, chosen)))
            await KeepWhatIsPresentAsync(other, where, cancellationToken).ConfigureAwait(false);
        return image;
    }

    private async Task<PlannedImage> PlanManifestAsync(Descriptor descriptor, Descriptor target, string where, CancellationToken cancellationToken)
    {
        var json = await ReadDocumentAsync(descriptor, "manifest", where, cancellationToken).ConfigureAwait(false);
        var document = Parse(json, descriptor.MediaType, $"manifest {descriptor.Digest}");
        var manifest = document.Manifest
            ?? throw new InvalidArgumentException($"{where}: {descriptor.Digest} is declared a manifest but is an index (nested indexes are not supported)");
        if (!MediaTypes.IsConfig(manifest.Config.MediaType))
        {
            throw new InvalidArgumentException(
                $"{where}: manifest {descriptor.Digest} is not a container image: its config has media type \"{manifest.Config.MediaType}\"");
        }

        if (manifest.Layers.Count > ArchiveLimits.MaxLayers)
            throw new InvalidArgumentException($"{where}: manifest {descriptor.Digest} has {manifest.Layers.Count} layers, over the limit of {ArchiveLimits.MaxLayers}");

        var configDigest = Digest.Parse(manifest.Config.Digest);
        var configJson = await ReadDocumentAsync(manifest.Config, "image config", where, cancellationToken).ConfigureAwait(false);
        var config = ImageDetailsCache.ParseConfig(configJson, configDigest);
        if (config.RootFs.DiffIds.Count != manifest.Layers.Count)
        {
            throw new InvalidArgumentException(
                $"{where}: manifest {descriptor.Digest} has {manifest.Layers.Count} layers but its config lists {config.RootFs.DiffIds.Count} diff ids");
        }

        foreach (var layer in manifest.Layers)
        {
            if (MediaTypes.LayerCompressionOf(layer.MediaType) is null)
                throw new InvalidArgumentException($"{where}: layer {layer.Digest} has unsupported media type \"{layer.MediaType}\"");
            if (!IsAvailable(layer, $"{where}: layer"))
                throw new InvalidArgumentException($"{where}: layer {layer.Digest} is missing from {source.Description}");
            AddArchiveBlob(layer, layer.MediaType);
        }

        AddArchiveBlob(descriptor, document.MediaType);
        AddArchiveBlob(manifest.Config, manifest.Config.MediaType);
        var manifestDigest = Digest.Parse(descriptor.Digest);
        var targetDescriptor = ReferenceEquals(descriptor, target) ? descriptor with { MediaType = document.MediaType } : target;
        return new PlannedImage(targetDescriptor with { Annotations = null, Platform = null }, manifestDigest, manifest, configDigest, config);
    }

    /// <summary>Keeps another platform's manifest, config and layers where the layout has them; it need not.</summary>
    private async Task KeepWhatIsPresentAsync(Descriptor descriptor, string where, CancellationToken cancellationToken)
    {
        if (!MediaTypes.IsManifest(descriptor.MediaType) || !IsAvailable(descriptor, $"{where}: manifest"))
            return;
        var json = await ReadDocumentAsync(descriptor, "manifest", where, cancellationToken).ConfigureAwait(false);
        var document = Parse(json, descriptor.MediaType, $"manifest {descriptor.Digest}");
        if (document.Manifest is not { } manifest)
            return;
        AddArchiveBlob(descriptor, document.MediaType);
        foreach (var blob in manifest.Layers.Prepend(manifest.Config))
        {
            if (IsAvailable(blob, $"{where}: blob"))
                AddArchiveBlob(blob, blob.MediaType);
        }
    }

    /// <summary>Whether the layout (with the declared size) or the store has the blob.</summary>
    private bool IsAvailable(Descriptor descriptor, string what)
    {
        var digest = Sha256(descriptor, what);
        var name = ArchivePath.BlobName(digest);
        if (source.Contains(name))
        {
            var size = source.SizeOf(name);
            if (size != descriptor.Size)
                throw new InvalidArgumentException($"{what} {digest}: {source.Description} has {size} bytes, the descriptor says {descriptor.Size}");
            return true;
        }

        return content.SizeOf(digest) == descriptor.Size;
    }

    private void AddArchiveBlob(Descriptor descriptor, string mediaType)
    {
        var digest = Digest.Parse(descriptor.Digest);
        var name = ArchivePath.BlobName(digest);
        plan.AddBlob(new PlannedBlob(digest, descriptor.Size, mediaType, source.Contains(name) ? name : null, null));
    }

    /// <summary>Reads a manifest, index or config from the layout (or the store), checking its size and digest.</summary>
    private async Task<byte[]> ReadDocumentAsync(Descriptor descriptor, string what, string where, CancellationToken cancellationToken)
    {
        var digest = Sha256(descriptor, $"{where}: {what}");
        if (descriptor.Size > ArchiveLimits.MaxDocumentSize)
            throw new InvalidArgumentException($"{where}: {what} {digest} is {descriptor.Size} bytes, over the {ArchiveLimits.MaxDocumentSize}-byte limit");
        if (!IsAvailable(descriptor, $"{where}: {what}"))
            throw new InvalidArgumentException($"{where}: {what} {digest} is missing from {source.Description}");

        var name = ArchivePath.BlobName(digest);
        var bytes = source.Contains(name)
            ? await ArchiveDocuments.ReadAsync(source, name, cancellationToken).ConfigureAwait(false)
            : await content.ReadAllAsync(digest, cancellationToken).ConfigureAwait(false);
        var actual = Digest.Sha256Of(bytes);
        if (actual != digest)
            throw new InvalidArgumentException($"{where}: {what} {name} has digest {actual}, not {digest}");
        return bytes;
    }

    private static Digest Sha256(Descriptor descriptor, string what)
    {
        if (!Digest.TryParse(descriptor.Digest, out var digest, out var why))
            throw new InvalidArgumentException($"{what}: invalid digest \"{descriptor.Digest}\": {why}");
        if (digest.Algorithm != "sha256")
            throw new InvalidArgumentException($"{what} {digest}: only sha256 digests are supported");
        return digest;
    }

    private ManifestDocument Parse(byte[] json, string? mediaType, string what)
    {
        try
        {
            return ManifestDocument.Parse(json, mediaType);
        }
        catch (InvalidArgumentException e)
        {
            throw new InvalidArgumentException($"{what} in {source.Description}: {e.Message}", e);
        }
    }
}
