using Caisson.Core.Digests;
using Caisson.Core.Oci;
using Caisson.Images.Content;
using Caisson.Images.Metadata;
using Caisson.Images.Snapshots;
using Microsoft.Extensions.Logging;

namespace Caisson.Images.Store;

/// <summary>What a collection removed.</summary>
public sealed record GarbageCollectionResult(int BlobsRemoved, long BytesRemoved, int SnapshotsRemoved);

/// <summary>
/// Mark and sweep over content and snapshots. The roots are image names, unexpired leases and extra roots
/// (container snapshots). The sweep only considers what existed before marking began, and leases are taken
/// before anything is written, so a pull running alongside never loses a blob.
/// </summary>
internal sealed partial class GarbageCollector(
    ContentStore content,
    MetadataStore metadata,
    ISnapshotter snapshotter,
    Func<IEnumerable<Digest>> extraSnapshotRoots,
    ILogger logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<GarbageCollectionResult> CollectAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var blobs = content.List().ToList();
            var snapshots = snapshotter.ListCommitted();

            var leased = metadata.LeasedResources();
            var liveContent = new HashSet<Digest>();
            var liveSnapshots = new HashSet<Digest>(extraSnapshotRoots());
            foreach (var (kind, resource) in leased)
            {
                if (!Digest.TryParse(resource, out var d))
                    continue;
                (kind == LeaseResourceKind.Content ? liveContent : liveSnapshots).Add(d);
            }

            foreach (var image in metadata.ListImages())
            {
                MarkContent(image.TargetDigest, liveContent, liveSnapshots);
                MarkContent(image.ManifestDigest, liveContent, liveSnapshots);
            }

            // A snapshot keeps its parents.
            foreach (var root in liveSnapshots.ToList())
            {
                var current = snapshotter.ParentOf(root);
                while (current is { } parent && liveSnapshots.Add(parent))
                    current = snapshotter.ParentOf(parent);
            }

            var result = new GarbageCollectionResult(0, 0, 0);
            foreach (var (digest, size) in blobs)
            {
                if (liveContent.Contains(digest))
                    continue;
                if (content.Delete(digest))
                    result = result with { BlobsRemoved = result.BlobsRemoved + 1, BytesRemoved = result.BytesRemoved + size };
                metadata.DeleteContent(digest.ToString());
            }

            foreach (var chainId in snapshots)
            {
                if (liveSnapshots.Contains(chainId))
                    continue;
                snapshotter.Remove(chainId);
                metadata.DeleteSnapshot(chainId.ToString());
                result = result with { SnapshotsRemoved = result.SnapshotsRemoved + 1 };
            }

            metadata.PruneExpiredLeases();
            Log.Collected(logger, result.BlobsRemoved, result.BytesRemoved, result.SnapshotsRemoved);
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Marks a manifest or index and everything it references that we hold.</summary>
    private void MarkContent(Digest digest, HashSet<Digest> liveContent, HashSet<Digest> liveSnapshots)
    {
        if (!liveContent.Add(digest) || !content.Exists(digest))
            return;
        ManifestDocument document;
        try
        {
            document = ManifestDocument.Parse(File.ReadAllBytes(content.BlobPath(digest)), null);
        }
        catch (Core.Errors.CaissonException)
        {
            return;
        }

        if (document.Index is { } index)
        {
            foreach (var child in index.Manifests)
            {
                if (Digest.TryParse(child.Digest, out var d))
                    MarkContent(d, liveContent, liveSnapshots);
            }

            return;
        }

        var manifest = document.Manifest!;
        var configDigest = Digest.Parse(manifest.Config.Digest);
        liveContent.Add(configDigest);
        foreach (var layer in manifest.Layers)
            liveContent.Add(Digest.Parse(layer.Digest));
        if (!content.Exists(configDigest))
            return;
        try
        {
            var config = ImageDetailsCache.ParseConfig(File.ReadAllBytes(content.BlobPath(configDigest)), configDigest);
            var chain = ChainId.Compute(config.RootFs.DiffIds.Select(Digest.Parse).ToArray());
            if (chain.Count > 0)
                liveSnapshots.Add(chain[^1]);
        }
        catch (Core.Errors.CaissonException)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2201, Level = LogLevel.Information, Message = "Garbage collection removed {Blobs} blobs ({Bytes} bytes) and {Snapshots} snapshots")]
        public static partial void Collected(ILogger logger, int blobs, long bytes, int snapshots);
    }
}
