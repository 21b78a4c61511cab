using Caisson.Core.Digests;
using Caisson.Core.Errors;
using Caisson.Core.Oci;
using Caisson.Images.Metadata;
using Caisson.Images.Unpack;

namespace Caisson.Images.Snapshots;

/// <summary>
/// Unpacks one layer into a new snapshot and commits it only when the layer's diff id matches the image config;
/// on any failure the half-written snapshot is discarded. Pulls and loads both go through here.
/// </summary>
internal static class LayerSnapshotWriter
{
    public static async Task WriteAsync(
        ISnapshotter snapshotter,
        MetadataStore metadata,
        Stream blob,
        LayerCompression compression,
        Digest blobDigest,
        Digest diffId,
        Digest chainId,
        Digest? parent,
        IReadOnlyList<string>? lowerDirectories,
        CancellationToken cancellationToken)
    {
        var prepared = snapshotter.Prepare(chainId, parent);
        try
        {
            var result = await LayerUnpacker.UnpackAsync(blob, compression, prepared.Directory, prepared.WhiteoutMode, lowerDirectories, cancellationToken)
                .ConfigureAwait(false);
            if (result.DiffId != diffId)
            {
                throw new InvalidArgumentException(
                    $"layer {blobDigest}: its uncompressed digest is {result.DiffId}, but the image config says {diffId}");
            }

            snapshotter.Commit(prepared);
        }
        catch
        {
            snapshotter.Abort(prepared);
            throw;
        }

        metadata.PutSnapshot(chainId.ToString(), parent?.ToString(), "committed");
    }
}
