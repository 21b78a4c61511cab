using Caisson.Core.Digests;
using Caisson.Core.Errors;
using Caisson.Core.Oci;
using Caisson.Images.Content;
using Caisson.Images.Metadata;
using Caisson.Images.Snapshots;
using Caisson.Images.Unpack;
using Microsoft.Extensions.Logging;

namespace Caisson.Images.Archive;

/// <summary>One image a load stored: its id and the names recorded for it.</summary>
internal sealed record ImportedImage(Digest Id, IReadOnlyList<string> Names, bool Named);

/// <summary>
/// Stores what an archive holds, in an order that keeps the store consistent if it stops anywhere: blobs, then
/// snapshots, then (in one transaction) the names. Until the names exist nothing refers to the new blobs and
/// snapshots, and a lease keeps garbage collection off them until the load is over; after a failed load the next
/// collection removes them.
/// </summary>
internal sealed class ArchiveImporter(
    ContentStore content,
    MetadataStore metadata,
    ISnapshotter snapshotter,
    Platform platform,
    TimeProvider time,
    ILogger logger)
{
    private static readonly TimeSpan LeaseLifetime = TimeSpan.FromHours(24);

    public async Task<IReadOnlyList<ImportedImage>> ImportAsync(IArchiveSource source, CancellationToken cancellationToken)
    {
        var plan = await ArchivePlanner.PlanAsync(source, content, platform, logger, cancellationToken).ConfigureAwait(false);
        var leaseId = $"load-{Guid.NewGuid():N}";
        metadata.CreateLease(leaseId, LeaseLifetime);
        try
        {
            foreach (var blob in plan.Blobs)
                await StoreBlobAsync(source, blob, leaseId, cancellationToken).ConfigureAwait(false);
            foreach (var image in plan.Images)
                await UnpackAsync(image, leaseId, cancellationToken).ConfigureAwait(false);
            return RecordNames(plan);
        }
        finally
        {
            metadata.DeleteLease(leaseId);
        }
    }

    private async Task StoreBlobAsync(IArchiveSource source, PlannedBlob blob, string leaseId, CancellationToken cancellationToken)
    {
        metadata.AddLeaseResource(leaseId, LeaseResourceKind.Content, blob.Digest.ToString());
        if (blob.Content is { } bytes)
            await content.WriteAsync(blob.Digest, bytes, cancellationToken).ConfigureAwait(false);
        else if (blob.ArchiveName is { } name)
            await source.PublishAsync(name, blob.Digest, content, cancellationToken).ConfigureAwait(false);
        else if (!content.Exists(blob.Digest))
            throw new NotFoundException($"blob {blob.Digest} is neither in {source.Description} nor in the store any more");
        metadata.PutContent(blob.Digest.ToString(), blob.Size, blob.MediaType);
    }

    private async Task UnpackAsync(PlannedImage image, string leaseId, CancellationToken cancellationToken)
    {
        var diffIds = image.Config.RootFs.DiffIds.Select(Digest.Parse).ToList();
        var chainIds = ChainId.Compute(diffIds);
        for (var i = 0; i < chainIds.Count; i++)
        {
            metadata.AddLeaseResource(leaseId, LeaseResourceKind.Snapshot, chainIds[i].ToString());
            if (snapshotter.IsCommitted(chainIds[i]))
                continue;
            var layer = image.Manifest.Layers[i];
            var parent = i == 0 ? (Digest?)null : chainIds[i - 1];
            await UnpackLayerAsync(Digest.Parse(layer.Digest), MediaTypes.LayerCompressionOf(layer.MediaType)!.Value, diffIds[i], chainIds[i], parent, cancellationToken)
                .ConfigureAwait(false);
        }
    }

    private async Task UnpackLayerAsync(Digest blob, LayerCompression compression, Digest diffId, Digest chainId, Digest? parent, CancellationToken cancellationToken)
    {
        // Layers go in order, so the parent is committed: an overlay layer's hard links into it can be resolved.
        var lowerDirectories = parent is { } below && snapshotter.UnpacksIndependently ? snapshotter.LayerDirectories(below) : [];
        var stream = content.OpenRead(blob);
        await using (stream.ConfigureAwait(false))
        {
            await LayerSnapshotWriter.WriteAsync(snapshotter, metadata, stream, compression, blob, diffId, chainId, parent, lowerDirectories, cancellationToken)
                .ConfigureAwait(false);
        }

        ArchiveLog.LayerUnpacked(logger, blob.ToString(), chainId.ToString());
    }

    private List<ImportedImage> RecordNames(ImportPlan plan)
    {
        var now = time.GetUtcNow();
        var records = new List<ImageRecord>();
        var imported = new List<ImportedImage>();
        foreach (var image in plan.Images)
        {
            var named = image.Names.Count > 0;
            var names = named ? image.Names : [ImageNames.ForUnnamed(now, image.TargetDigest)];
            records.AddRange(names.Select(name => new ImageRecord(
                name, image.TargetDigest, image.Target.MediaType, image.Target.Size, image.ManifestDigest, image.ConfigDigest, now, now)));
            imported.Add(new ImportedImage(image.ConfigDigest, names, named));
        }

        metadata.PutImages(records);
        foreach (var image in imported)
            ArchiveLog.Loaded(logger, image.Id.ToString(), string.Join(", ", image.Names));
        return imported;
    }
}
